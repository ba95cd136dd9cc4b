"""Customer data made of digits: IBANs, payment cards and phone numbers, and the
numbers that are not personal (dates, times, amounts, percentages, order and
ticket numbers) that must never be taken for them.

Each detector takes text and returns spans; `learning.cases.redaction` decides
the order they run in and what replaces them.
"""
from __future__ import annotations

import re

import phonenumbers

Span = tuple[int, int]


def overwrite(text: str, spans, cover) -> str:
    """Replace sorted, non-overlapping spans with same-length covers, in one pass."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        parts += [text[pos:start], cover(end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def merge(spans) -> list[Span]:
    """Union of spans as sorted, disjoint spans."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- IBAN -----------------------------------------------------------------------

# ISO 13616 registry: the length of an IBAN in each country that issues them.
# A candidate must have exactly its country's length, so a run of words and
# numbers that happens to pass mod 97 is not taken for an IBAN.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

# Country code and check digits, then alphanumerics in any case, grouped by
# single spaces, dots or dashes ("de89 3704-0044 ...").
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ .-]?[A-Za-z0-9]){11,30}")


def iban_spans(text: str) -> list[Span]:
    spans = []
    for m in _IBAN_RE.finditer(text):
        end = _valid_iban_end(text, m.start(), m.end())
        if end is not None:
            spans.append((m.start(), end))
    return spans


def _valid_iban_end(text: str, start: int, end: int) -> int | None:
    """The end of the IBAN starting at `start`: where its country's length is reached."""
    length = IBAN_LENGTHS.get(text[start:start + 2].upper())
    if length is None:
        return None
    count = 0
    for stop in range(start, end):
        count += text[stop].isalnum()
        if count == length:
            at_boundary = stop + 1 == len(text) or not text[stop + 1].isalnum()
            compact = re.sub(r"[ .-]", "", text[start:stop + 1]).upper()
            return stop + 1 if at_boundary and _iban_checksum_ok(compact) else None
    return None


def _iban_checksum_ok(compact: str) -> bool:
    # ISO 13616 / ISO 7064 mod 97-10: move country code and check digits to the
    # end, turn letters into numbers (A=10 ... Z=35); a real IBAN leaves
    # remainder 1. This catches every single typo and most random letter runs.
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


# --- numbers that are not personal ---------------------------------------------

# Dates, times, amounts, percentages and reference numbers are digit runs joined
# by - / . : and so look like phone or card numbers; they carry no customer
# identity, and case write-ups are full of them ("called at 10:30 on 25.11.2026
# about the €1,299.00 order 48213377"). They are masked before the card and
# phone detectors run.
# Not part of a longer run ("06.12.34.56.78" is a French phone number, not a date).
_YMD_RE = re.compile(r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![-/.]?\d)")
_DMY_RE = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})(?![-/.]?\d)")
_CURRENCY = r"(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|PLN)\b)"
_NON_PERSONAL_RES = (
    re.compile(r"(?<![\d.])\d{1,2}[:.h]\d{2}(?::\d{2})?[ \t]?(?:[ap]\.?m\.?|h|Uhr)?(?![\d.,])", re.I),  # 10:30, 9.15 pm
    re.compile(r"(?<!\d)(?:19|20)\d{2}[ \t]?[-–][ \t]?(?:19|20)\d{2}(?!\d)"),  # 2019-2026
    re.compile(_CURRENCY + r"[ \t]?\d[\d.,' ]*\d|" + _CURRENCY + r"[ \t]?\d"),  # €1,299.00, USD 20
    re.compile(r"(?<![\d.,'])\d(?:[\d.,' ]*\d)?[ \t]?" + _CURRENCY),  # 1.299,00 EUR
    re.compile(r"(?<![\d.,])\d[\d.,]*[ \t]?(?:%|percent\b|per cent\b)", re.I),  # 15 %, 2.5 percent
    # An order, ticket or other reference number: one token right after its word.
    re.compile(r"\b(?:order|ticket|case|invoice|ref(?:erence)?|booking|tracking|shipment|parcel|package|"
               r"rma|return|transaction|confirmation|incident|claim|contract|serial|sku|item|article|"
               r"bestellung|commande|bestelling)s?(?:[ \t]*(?:no\.?|nr\.?|number|num|id|#|:))*[ \t:#.-]*"
               r"[A-Za-z]{0,6}[-/]?\d[\w/-]*(?: \d[\w/-]*)*", re.I),
    re.compile(r"(?<![\w&])#[ \t]?\d[\w-]*"),  # ticket #88213
)


def mask_non_personal_numbers(text: str) -> str:
    spans = [m.span() for m in _YMD_RE.finditer(text) if _is_month_day(m["m"], m["d"])]
    spans += [m.span() for m in _DMY_RE.finditer(text) if _is_day_month_pair(m["a"], m["b"])]
    spans += [m.span() for regex in _NON_PERSONAL_RES for m in regex.finditer(text)]
    return overwrite(text, merge(spans), lambda n: "x" * n)


def _is_month_day(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _is_day_month_pair(first: str, second: str) -> bool:
    """25.11 (day first) or 11/25 (month first)."""
    return _is_month_day(first, second) or _is_month_day(second, first)


# --- payment cards -------------------------------------------------------------

# A run of digit groups joined by single spaces, dots or dashes, not the tail of
# a word or code and not the middle of a longer run.
_DIGIT_RUN_RE = re.compile(r"(?<![\w+])(?<![\w\]][-.])(?<!\d[ .-])\d+(?:[ .-]\d+)*(?!\w)")
_DIGITS_RE = re.compile(r"\d+")


def card_spans(text: str) -> list[Span]:
    spans = []
    for run in _DIGIT_RUN_RE.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end()) for g in _DIGITS_RE.finditer(run.group())]
        spans += _cards_in_groups(text, groups)
    return spans


def _cards_in_groups(text: str, groups: list[Span]) -> list[Span]:
    """Cards among consecutive digit groups, left to right. A run may hold more
    than the card (a CVC, a neighbouring number: '4111 1111 1111 1111 123')."""
    spans, i = [], 0
    while i < len(groups):
        j = _last_group_of_card(text, groups, i)
        if j is None:
            i += 1
        else:
            spans.append((groups[i][0], groups[j][1]))
            i = j + 1
    return spans


def _last_group_of_card(text: str, groups: list[Span], first: int) -> int | None:
    """Index of the furthest group that completes a card starting at `first`."""
    digits, candidates = "", []
    for j in range(first, len(groups)):
        digits += text[groups[j][0]:groups[j][1]]
        if len(digits) > 19:
            break
        candidates.append((j, digits))
    return next((j for j, number in reversed(candidates) if _is_card_number(number)), None)


def _is_card_number(digits: str) -> bool:
    # Card numbers (ISO/IEC 7812) have 13-19 digits and never start with 0;
    # that also keeps "0044 20 7946 0958"-style phone numbers out.
    return 13 <= len(digits) <= 19 and digits[0] != "0" and _luhn_ok(digits)


def _luhn_ok(digits: str) -> bool:
    # Luhn: from the right, double every second digit (minus 9 if over 9); a
    # real card number sums to a multiple of 10. Without this check any 16
    # digits (a tracking or account number) would be taken for a card.
    total = 0
    for position, ch in enumerate(reversed(digits)):
        digit = int(ch) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


# --- phone numbers -------------------------------------------------------------

# phonenumbers finds a number written the way its region writes them; an
# international number (+44 ..., 0044 ...) is found from any region. These are
# the regions whose national notations case write-ups use.
PHONE_REGIONS = ("GB", "US", "DE", "FR", "NL", "BE", "AT", "CH", "IE", "ES", "IT", "AU")
_SEPARATED_RE = re.compile(r"\d[ ./()-]+\d")
_US_LOCAL_RE = re.compile(r"\d{3}[-.]\d{4}")


# Where a phone number can be: a run of 7+ digits with the separators numbers are
# written with. The matcher reads only these runs (reading a whole write-up once
# per region takes seconds).
_PHONE_RUN_RE = re.compile(r"\+?[(\d][\d \t().\/-]{5,}\d\)?")


def phone_spans(text: str) -> list[Span]:
    spans = set()
    for run in _PHONE_RUN_RE.finditer(text):
        if sum(ch.isdigit() for ch in run.group()) >= 7:
            spans.update(_phones_in_run(text, run.start(), run.group()))
    return list(spans)


def _phones_in_run(text: str, offset: int, run: str) -> set[Span]:
    spans = set()
    international = run.startswith("+") or run.startswith("00")
    for region in PHONE_REGIONS[:1] if international else PHONE_REGIONS:   # then any region reads it
        for match in phonenumbers.PhoneNumberMatcher(run, region, leniency=phonenumbers.Leniency.POSSIBLE):
            start, end = _with_leading_plus(text, offset + match.start), offset + match.end
            if _stands_alone(text, start, end) and _written_as_a_phone(text[start:end], match.number):
                spans.add((start, end))
    return spans


def _with_leading_plus(text: str, start: int) -> int:
    """'+ 49 30 ...': the matcher starts at the digits; the plus belongs to the number."""
    before = text[max(0, start - 2):start]
    return start - len(before) if before.strip() == "+" else start


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not glued to a word, a code (ORD-2026-...), a placeholder or a masked
    number, and not the middle of a longer digit run (an IBAN with a typo)."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    if before[-1:] and (before[-1].isalnum() or before[-1] in "]#@_\0"):
        return False
    if len(before) == 2 and before[1] in " ./-" and before[0].isdigit():
        return False
    if after[:1] and (after[0].isalnum() or after[0] in "_\0["):
        return False
    return not (len(after) == 2 and after[0] in " ./-" and after[1].isdigit())


def _written_as_a_phone(raw: str, number) -> bool:
    """Written with its international prefix, its trunk prefix 0 or the North
    American grouping; so an 8-digit order number or a bare count of items is
    not taken for a phone number even where such a national number exists."""
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:   # a local number at least; E.164 at most
        return False
    if raw.startswith("+") or digits.startswith("00"):
        return True
    if digits.startswith("0"):
        return len(digits) >= 9
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")):
        return bool(_SEPARATED_RE.search(raw)) or phonenumbers.is_valid_number_for_region(number, "US")
    return len(digits) == 7 and bool(_US_LOCAL_RE.fullmatch(raw))
