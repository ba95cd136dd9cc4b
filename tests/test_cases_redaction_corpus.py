"""Redaction measured on a corpus of realistic support texts
(tests/redaction_corpus/support_texts.json): every customer detail the corpus
marks disappears (recall 100%), and nothing else is redacted: times, ordinary
dates, prices, amounts, durations, percentages, order and ticket numbers stay
(no false redaction)."""
import json
from pathlib import Path

import pytest

from learning.cases.redaction import find_customer_data, redact_customer_data, redact_fields

CORPUS = json.loads((Path(__file__).parent / "redaction_corpus" / "support_texts.json").read_text("utf-8"))
CLASSES = {"phone", "card", "iban", "email", "secret", "address", "dob", "name", "mixed", "none"}


def occurrences(text, value):
    start = text.find(value)
    while start != -1:
        yield start, start + len(value)
        start = text.find(value, start + 1)


def test_the_corpus_holds_at_least_60_texts_across_every_class():
    assert len(CORPUS) >= 60
    assert {entry["class"] for entry in CORPUS} == CLASSES
    for entry in CORPUS:
        assert all(value in entry["text"] for value in entry["remove"] + entry["keep"]), entry["text"]


@pytest.mark.parametrize("entry", CORPUS, ids=lambda entry: f'{entry["class"]}: {entry["text"][:40]}')
def test_every_customer_detail_in_the_corpus_disappears_and_nothing_else(entry):
    text, names = entry["text"], entry.get("names", [])
    redacted = redact_customer_data(text, names=names)
    assert [value for value in entry["remove"] if value in redacted] == []
    assert [value for value in entry["keep"] if value not in redacted] == []
    expected = [span for value in entry["remove"] for span in occurrences(text, value)]
    false = [f.text for f in find_customer_data(text, names=names)
             if not any(f.start < end and start < f.end for start, end in expected)]
    assert false == []


def test_recall_is_complete_and_no_text_is_falsely_redacted_over_the_whole_corpus():
    missed = kept_lost = 0
    for entry in CORPUS:
        redacted = redact_customer_data(entry["text"], names=entry.get("names", []))
        missed += sum(value in redacted for value in entry["remove"])
        kept_lost += sum(value not in redacted for value in entry["keep"])
    total = sum(len(entry["remove"]) for entry in CORPUS)
    assert total >= 100
    assert (total - missed) / total == 1.0 and kept_lost == 0


def test_redacting_the_corpus_twice_changes_nothing_more():
    for entry in CORPUS:
        once = redact_customer_data(entry["text"], names=entry.get("names", []))
        assert redact_customer_data(once, names=entry.get("names", [])) == once


def test_a_name_marked_in_one_field_is_redacted_in_every_field():
    redacted, _ = redact_fields({"title": "Maria wants her money back",
                                 "customer_need": "Hi Maria, sorry for the wait.", "ask": "Was Maria right?"})
    assert "Maria" not in " ".join(redacted.values())
