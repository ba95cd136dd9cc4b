"""Customer personal data in what people write about a case: finding it and
redacting it.

This module owns the rules for what counts as customer data in free text
(secrets in links, e-mail addresses, IBANs, payment card numbers, phone
numbers, dates of birth, street addresses and postcodes, and personal names
the text marks or the author lists) and the placeholders that replace it
before anything is stored. It has no Flask or database dependency, so the
case form, its preview, comments, takeaways, and the migration that cleans old
rows share one set of rules. The detectors live beside it:
`redaction_numbers` (IBAN, card, phone, and the dates, times, amounts and
reference numbers they must leave alone), `redaction_text` (links, e-mail,
dates of birth, addresses) and `redaction_names`.

Detection runs in stages, highest priority first: secret, email, IBAN, card,
phone, date of birth, address, name. Each stage sees the text with the earlier
stages' matches masked the way their placeholders look after redaction, so a
lower-priority detector never claims part of a higher-priority match, and
redacting an already redacted text finds nothing new (redaction is idempotent).

A name the text marks ("Hi Maria,", "Regards, Anna Schmidt") is redacted
wherever it occurs, in every field redacted together.

Strings in the author's ``keep`` list are never redacted, whatever matches
them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from learning.cases.redaction_names import full_names, marked_names, name_spans, name_variants
from learning.cases.redaction_numbers import (card_spans, iban_spans, mask_non_personal_numbers, merge, overwrite,
                                              phone_spans)
from learning.cases.redaction_text import address_spans, date_of_birth_spans, email_spans, secret_spans

PLACEHOLDERS = {
    "secret": "[secret removed]",
    "email": "[email removed]",
    "phone": "[phone removed]",
    "card": "[card removed]",
    "iban": "[IBAN removed]",
    "dob": "[date of birth removed]",
    "address": "[address removed]",
    "name": "[name removed]",
}
KIND_LABELS = {"secret": "Secret", "email": "E-mail", "phone": "Phone", "card": "Card number", "iban": "IBAN",
               "dob": "Date of birth", "address": "Address", "name": "Name"}

Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of PLACEHOLDERS
    start: int
    end: int
    text: str


# --- public API ---------------------------------------------------------------


def find_customer_data(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> list[Finding]:
    """Customer data in `text`, sorted by start and non-overlapping; `names`
    are redacted besides the names the text marks."""
    names, keep = _as_tuple(names), _as_tuple(keep)
    return _find(text, _with_marked_names(names, [text], keep), keep)


def found_names(texts: Iterable[str], keep: Iterable[str] = ()) -> list[str]:
    """The names the texts mark, each once (for the author to confirm)."""
    keep = {k.lower() for k in _as_tuple(keep)}
    texts = [_mask(text, _occurrences(text, PLACEHOLDERS.values())) for text in texts]
    found = _distinct([n for text in texts for n in marked_names(text)], keep)
    found = _distinct(found + [n for text in texts for n in full_names(text, found)], keep)
    return [name for name in found if not any(_within(name, other) for other in found if other != name)]


def _distinct(names: list[str], keep: set[str]) -> list[str]:
    """First spelling of each name, case-insensitively, leaving out those to keep."""
    seen = {}
    for name in names:
        if name.lower() not in keep:
            seen.setdefault(name.lower(), name)
    return list(seen.values())


def _within(name: str, other: str) -> bool:
    """Is `name` a word or words of the longer name `other` ("Tomas" of "Tomas Berg")?"""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", other, re.IGNORECASE) is not None


def _with_marked_names(names: tuple[str, ...], texts: list[str], keep: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name_variants(names + tuple(found_names(texts, keep))))


def _find(text: str, names: tuple[str, ...], keep: tuple[str, ...]) -> list[Finding]:
    taken = _occurrences(text, keep)  # spans no finding may touch
    masked = _mask(text, _occurrences(text, PLACEHOLDERS.values()))
    findings = []
    for kind, detect in _stages(names):
        blocked = merge(taken)
        spans = [s for s in _non_overlapping(detect(masked)) if not _overlaps_any(s, blocked)]
        findings += [Finding(kind, start, end, text[start:end]) for start, end in spans]
        taken += spans
        masked = _mask(masked, spans)
    return sorted(findings, key=lambda f: f.start)


def redact_customer_data(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """`text` with every finding replaced by its kind's placeholder."""
    return _replace(text, find_customer_data(text, names, keep))


def redact_fields(
    fields: dict[str, str], names: Iterable[str] = (), keep: Iterable[str] = ()
) -> tuple[dict[str, str], list[Finding]]:
    """Redact several text fields at once.

    Returns the redacted fields (same keys, same order) and all findings in
    field order; each finding's offsets refer to its own field's original text.
    """
    names, keep = _as_tuple(names), _as_tuple(keep)
    names = _with_marked_names(names, list(fields.values()), keep)
    redacted, findings = {}, []
    for key, value in fields.items():
        found = _find(value, names, keep)
        redacted[key] = _replace(value, found)
        findings += found
    return redacted, findings


# --- plumbing -------------------------------------------------------------------


def _as_tuple(items: Iterable[str]) -> tuple[str, ...]:
    """Materialise once (generators are reused per field); a bare string is one item."""
    if isinstance(items, str):
        items = (items,)
    return tuple(item for item in items if item and item.strip())


def _stages(names: tuple[str, ...]) -> list[tuple[str, Callable[[str], list[Span]]]]:
    return [
        ("secret", secret_spans),
        ("email", email_spans),
        ("iban", iban_spans),
        ("card", lambda text: card_spans(mask_non_personal_numbers(text))),
        ("phone", lambda text: phone_spans(mask_non_personal_numbers(text))),
        ("dob", date_of_birth_spans),
        ("address", address_spans),
        ("name", lambda text: name_spans(text, names)),
    ]


def _occurrences(text: str, needles: Iterable[str]) -> list[Span]:
    return [m.span() for needle in needles for m in re.finditer(re.escape(needle), text)]


def _overlaps_any(span: Span, disjoint: list[Span]) -> bool:
    """Does `span` overlap any of the sorted, disjoint spans?"""
    i = bisect.bisect_left(disjoint, (span[1],))  # first span starting at or after span's end
    return i > 0 and disjoint[i - 1][1] > span[0]


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Longest first, then leftmost; drop anything overlapping an accepted span."""
    accepted: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if not _overlaps_any(span, accepted):
            bisect.insort(accepted, span)
    return accepted


def _mask(text: str, spans: Iterable[Span]) -> str:
    """Hide spans behind '[...]' of the same length, as a placeholder looks to a
    detector (its edges are what the look-arounds see), keeping offsets intact."""
    return overwrite(text, spans, lambda n: "[" + "\0" * (n - 2) + "]" if n >= 2 else "\0")


def _replace(text: str, findings: list[Finding]) -> str:
    parts, pos = [], 0
    for finding in findings:
        parts += [text[pos:finding.start], PLACEHOLDERS[finding.kind]]
        pos = finding.end
    parts.append(text[pos:])
    return "".join(parts)
