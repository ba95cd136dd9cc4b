"""Customer data in case write-ups is found and redacted before a case is stored:
e-mails, phone numbers, Luhn-valid cards, mod-97-valid IBANs and names the
author marks; dates, times, prices, order numbers and the author's keep list
stay; redaction is idempotent and works across several fields."""
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning.cases.redaction import Finding, find_customer_data, redact_customer_data, redact_fields


def only_finding(text, **kwargs):
    findings = find_customer_data(text, **kwargs)
    assert len(findings) == 1, findings
    return findings[0]


# --- e-mail ---------------------------------------------------------------------

EMAILS = [
    ("She wrote from anna.schmidt@example.de twice.", "anna.schmidt@example.de"),
    ("Reply to j.doe+support@mail.example.co.uk please", "j.doe+support@mail.example.co.uk"),
    ("CC: MAX_MUSTERMANN@Firma-Beispiel.COM", "MAX_MUSTERMANN@Firma-Beispiel.COM"),
    ("His address is ann@example.org.", "ann@example.org"),
    ("Markdown link [mail](mailto:kunde42@web.de) in the notes", "kunde42@web.de"),
]


@pytest.mark.parametrize("text, email", EMAILS)
def test_email_address_in_case_text_is_redacted(text, email):
    finding = only_finding(text)
    assert (finding.kind, finding.text) == ("email", email)
    assert redact_customer_data(text) == text.replace(email, "[email removed]")


# --- phone ----------------------------------------------------------------------

PHONES = [
    ("Customer called from +49 30 1234567 about the refund.", "+49 30 1234567"),
    ("Her US number is +1 (415) 555-0132, call after lunch.", "+1 (415) 555-0132"),
    ("He left 0044 20 7946 0958 as a callback number.", "0044 20 7946 0958"),
    ("Berlin office line: 030/1234567.", "030/1234567"),
    ("Mobile 07700 900123 (UK), only after 5pm.", "07700 900123"),
    ("Call him back at 555-867-5309 tomorrow.", "555-867-5309"),
    ("London desk +44 (0)20 7946 0958 was busy", "+44 (0)20 7946 0958"),
    ("Try 415.555.0132 first", "415.555.0132"),
    ("Paris: +33 1 23 45 67 89", "+33 1 23 45 67 89"),
    ("She typed 01712345678 without spaces", "01712345678"),
]


@pytest.mark.parametrize("text, phone", PHONES)
def test_phone_number_in_international_or_local_format_is_redacted(text, phone):
    finding = only_finding(text)
    assert (finding.kind, finding.text) == ("phone", phone)
    assert redact_customer_data(text) == text.replace(phone, "[phone removed]")


def test_phone_number_between_a_date_and_a_time_is_still_redacted():
    text = "On 25.11.2026 at 10:30 he called from 030 1234567 again."
    assert redact_customer_data(text) == "On 25.11.2026 at 10:30 he called from [phone removed] again."


# --- payment cards -----------------------------------------------------------------

CARDS = [
    ("Card on file: 4111 1111 1111 1111, expired.", "4111 1111 1111 1111"),
    ("She read out 5500-0000-0000-0004 on the call", "5500-0000-0000-0004"),
    ("Visa 4111111111111111 was declined", "4111111111111111"),
    ("Amex 3782 822463 10005 charged twice", "3782 822463 10005"),
    ("Number 4111 1111 1111 1111 123 incl. CVC", "4111 1111 1111 1111"),
]


@pytest.mark.parametrize("text, card", CARDS)
def test_spaced_or_dashed_card_number_passing_luhn_is_redacted(text, card):
    finding = only_finding(text)
    assert (finding.kind, finding.text) == ("card", card)
    assert redact_customer_data(text) == text.replace(card, "[card removed]")


def test_card_number_is_reported_as_card_not_phone():
    assert [f.kind for f in find_customer_data("call 4111 1111 1111 1111 now")] == ["card"]


# --- IBAN -----------------------------------------------------------------------

IBANS = [
    ("Refund to DE89 3704 0044 0532 0130 00 please", "DE89 3704 0044 0532 0130 00"),
    ("Refund to DE89370400440532013000.", "DE89370400440532013000"),
    ("UK account GB82WEST12345698765432 (Westminster)", "GB82WEST12345698765432"),
    ("UK account GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN: FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
    ("Dutch NL91ABNA0417164300, ok", "NL91ABNA0417164300"),
    ("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", "DE89 3704 0044 0532 0130 00"),
]


@pytest.mark.parametrize("text, iban", IBANS)
def test_iban_with_valid_checksum_is_redacted_with_or_without_spaces(text, iban):
    finding = only_finding(text)
    assert (finding.kind, finding.text) == ("iban", iban)
    assert redact_customer_data(text) == text.replace(iban, "[IBAN removed]")


# --- not customer data ------------------------------------------------------------

NOT_CUSTOMER_DATA = [
    "The call started at 10:30 and ended at 14:45:10.",
    "Delivery was due 2026-11-25 but arrived late.",
    "Delivery was due 25.11.2026 but arrived late.",
    "Delivery was due 11/25/2026 but arrived late.",
    "Meeting 2026-11-25 10:30, follow-up 2026-12-01 09:00.",
    "Opening hours 09:00-17:30, Saturday 10:00-14:00.",
    "The laptop cost €1,299.00 plus $45.50 shipping.",
    "Invoice total 1.299,00 EUR, refund of USD 20.",
    "Order 4471 and ticket #88213 were merged.",
    "Order ORD-2026-118834 was shipped twice.",
    "He has been a customer 2019-2026.",
    "Tracking 4111 1111 1111 1112 fails the Luhn check.",
    "Reference 1234 5678 9012 3456 is not a card.",
    "Typo IBAN DE89 3704 0044 0532 0130 01 fails mod 97.",
    "Typo IBAN GB82WEST12345698765433 fails mod 97.",
    "Chapter 3.2, step 4 of 7, version 2.10.1.",
]


@pytest.mark.parametrize("text", NOT_CUSTOMER_DATA)
def test_dates_times_prices_order_numbers_and_invalid_numbers_are_not_redacted(text):
    assert find_customer_data(text) == []
    assert redact_customer_data(text) == text


def test_sixteen_digit_number_failing_luhn_is_neither_card_nor_phone():
    assert find_customer_data("4111111111111112") == []


# --- keep list ------------------------------------------------------------------

KEPT = [
    ("Order ORD-2026-118834, ref 20261188345", ["ORD-2026-118834", "20261188345"]),
    ("Our hotline 0800 123 4567 was down", ["0800 123 4567"]),
    ("Test card 4111 1111 1111 1111 from the docs", ["4111 1111 1111 1111"]),
    ("Write to support@ourshop.example", ["support@ourshop.example"]),
]


@pytest.mark.parametrize("text, keep", KEPT)
def test_strings_in_keep_list_are_never_redacted(text, keep):
    assert find_customer_data(text, keep=keep) == []
    assert redact_customer_data(text, keep=keep) == text


def test_keep_list_spares_only_the_kept_string_and_redacts_the_rest():
    text = "Hotline 0800 123 4567 forwarded to 030 1234567; he mailed support@ourshop.example from ann@example.org"
    redacted = redact_customer_data(text, keep=["0800 123 4567", "support@ourshop.example"])
    assert redacted == ("Hotline 0800 123 4567 forwarded to [phone removed]; "
                        "he mailed support@ourshop.example from [email removed]")


def test_keep_list_overrides_marked_name():
    text = "Ann from Ann Arbor called"
    assert redact_customer_data(text, names=["Ann"], keep=["Ann Arbor"]) == "[name removed] from Ann Arbor called"


# --- marked names ------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["Ann", "ann", "ANN", "aNn"])
def test_marked_name_is_redacted_case_insensitively(spelling):
    text = f"Then {spelling} asked for the manager."
    assert redact_customer_data(text, names=["Ann"]) == "Then [name removed] asked for the manager."


@pytest.mark.parametrize("text", [
    "The Annual report is due.", "Hannah called.", "Anne called.", "Joanne called.", "Ann123 is a login.",
])
def test_marked_name_matches_whole_words_only(text):
    assert redact_customer_data(text, names=["Ann"]) == text


@pytest.mark.parametrize("text, expected", [
    ("Anna Schmidt called; anna  schmidt and ANNA\nSCHMIDT again.", "[name removed] called; [name removed] and [name removed] again."),
    ("Mr O'Brien's wife", "Mr [name removed]'s wife"),
    ("Jörg Müller und JÖRG MÜLLER", "[name removed] und [name removed]"),
    ("Dr. Müller (senior) agreed", "[name removed] agreed"),
])
def test_multi_word_and_special_character_names_are_redacted(text, expected):
    names = ["Anna Schmidt", "O'Brien", "jörg müller", "Dr. Müller (senior)"]
    assert redact_customer_data(text, names=names) == expected


def test_longer_marked_name_wins_over_a_shorter_one_inside_it():
    findings = find_customer_data("Anna Schmidt called", names=["Anna", "Anna Schmidt"])
    assert [(f.kind, f.text) for f in findings] == [("name", "Anna Schmidt")]


def test_name_inside_email_is_reported_once_as_email():
    findings = find_customer_data("Mail ann@example.org", names=["Ann"])
    assert [(f.kind, f.text) for f in findings] == [("email", "ann@example.org")]


def test_blank_names_are_ignored_and_a_single_string_is_one_name():
    assert redact_customer_data("Ann and a b", names=["", "  "]) == "Ann and a b"
    assert redact_customer_data("Ann and a b", names="Ann") == "[name removed] and a b"


# --- findings ------------------------------------------------------------------

MIXED = ("Ann (ann@example.org, +49 30 1234567) paid with 4111 1111 1111 1111 "
         "and wants the refund on DE89 3704 0044 0532 0130 00 by 25.11.2026.")


def test_findings_are_sorted_non_overlapping_and_point_into_the_text():
    findings = find_customer_data(MIXED, names=["Ann"])
    assert [f.kind for f in findings] == ["name", "email", "phone", "card", "iban"]
    assert all(MIXED[f.start:f.end] == f.text for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))


def test_finding_is_frozen():
    finding = Finding("email", 0, 3, "a@b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "name"


def test_each_kind_gets_its_own_placeholder():
    assert redact_customer_data(MIXED, names=["Ann"]) == (
        "[name removed] ([email removed], [phone removed]) paid with [card removed] "
        "and wants the refund on [IBAN removed] by 25.11.2026.")


# --- idempotence ---------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    (MIXED, ["Ann"]),
    ("mail ann@example.org-030 1234567 today", []),
    ("ref 12 4111 1111 1111 1111 030 1234567", []),
    ("The name field says: removed, email, phone", ["removed", "email", "phone", "name"]),
    ("Already redacted: [phone removed] and [card removed] 123", ["card"]),
])
def test_redacting_twice_changes_nothing_more(text, names):
    once = redact_customer_data(text, names=names)
    assert redact_customer_data(once, names=names) == once


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "0", "1", "4", "7", "9", " ", "-", ".", "/", "(", ")", "+", ":", "@", "#", "€", "x", "DE89", "GB82",
    "ann", "Ann", ".com", "\n", "[email removed]", "[phone removed]", "[name removed]", "removed",
]), max_size=40).map("".join))
def test_redaction_is_idempotent_for_generated_text(text):
    names = ["ann", "removed"]
    once = redact_customer_data(text, names=names)
    assert redact_customer_data(once, names=names) == once


# --- several fields ---------------------------------------------------------------

def test_redact_fields_redacts_every_field_and_collects_all_findings():
    fields = {
        "title": "Angry call from Ann",
        "situation": "Ann (ann@example.org) called from +49 30 1234567 at 10:30.",
        "what_i_did": "Refunded €45.50 to DE89 3704 0044 0532 0130 00, order ORD-2026-118834.",
    }
    redacted, findings = redact_fields(fields, names=(n for n in ["Ann"]), keep=["ORD-2026-118834"])
    assert redacted == {
        "title": "Angry call from [name removed]",
        "situation": "[name removed] ([email removed]) called from [phone removed] at 10:30.",
        "what_i_did": "Refunded €45.50 to [IBAN removed], order ORD-2026-118834.",
    }
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Ann"), ("name", "Ann"), ("email", "ann@example.org"), ("phone", "+49 30 1234567"),
        ("iban", "DE89 3704 0044 0532 0130 00"),
    ]


def test_redact_fields_leaves_the_input_untouched_and_keeps_key_order():
    fields = {"b": "mail a@example.org", "a": "nothing here", "c": ""}
    redacted, findings = redact_fields(fields)
    assert fields == {"b": "mail a@example.org", "a": "nothing here", "c": ""}
    assert list(redacted) == ["b", "a", "c"]
    assert redacted["b"] == "mail [email removed]"
    assert [f.kind for f in findings] == ["email"]


def test_redact_fields_with_no_fields_returns_nothing():
    assert redact_fields({}) == ({}, [])
