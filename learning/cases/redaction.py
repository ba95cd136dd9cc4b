"""Customer personal data in case write-ups: finding it and redacting it.

This module owns the rules for what counts as customer data in the free text
of a case (e-mail addresses, phone numbers, payment card numbers, IBANs and
names the author marks) and the placeholders that replace it before a case is
stored. It is pure standard-library Python with no Flask or database
dependency, so the submit view, the preview and any batch job share one set
of rules.

Detection runs in stages, highest priority first: email, IBAN, card, phone,
name. Each stage sees the text with the earlier stages' matches masked the way
their placeholders look after redaction, so a lower-priority detector never
claims part of a higher-priority match, and redacting an already redacted
text finds nothing new (redaction is idempotent).

Strings in the author's ``keep`` list are never redacted, whatever matches
them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable

PLACEHOLDERS = {
    "email": "[email removed]",
    "phone": "[phone removed]",
    "card": "[card removed]",
    "iban": "[IBAN removed]",
    "name": "[name removed]",
}

Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    kind: str  # "email" | "phone" | "card" | "iban" | "name"
    start: int
    end: int
    text: str


# --- public API ---------------------------------------------------------------


def find_customer_data(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> list[Finding]:
    """Customer data in `text`, sorted by start and non-overlapping."""
    names, keep = _as_tuple(names), _as_tuple(keep)
    taken = _occurrences(text, keep)  # spans no finding may touch
    masked = _mask(text, _occurrences(text, PLACEHOLDERS.values()))
    findings = []
    for kind, detect in _stages(names):
        blocked = _merge(taken)
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
    redacted, findings = {}, []
    for key, value in fields.items():
        found = find_customer_data(value, names, keep)
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
        ("email", _email_spans),
        ("iban", _iban_spans),
        ("card", lambda text: _card_spans(_mask_non_personal_numbers(text))),
        ("phone", lambda text: _phone_spans(_mask_non_personal_numbers(text))),
        ("name", lambda text: _name_spans(text, names)),
    ]


def _occurrences(text: str, needles: Iterable[str]) -> list[Span]:
    return [m.span() for needle in needles for m in re.finditer(re.escape(needle), text)]


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Union of spans as sorted, disjoint spans."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


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
    return _overwrite(text, spans, lambda n: "[" + "\0" * (n - 2) + "]" if n >= 2 else "\0")


def _overwrite(text: str, spans: Iterable[Span], cover: Callable[[int], str]) -> str:
    """Replace non-overlapping spans with same-length covers, in one pass."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        parts += [text[pos:start], cover(end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _replace(text: str, findings: list[Finding]) -> str:
    parts, pos = [], 0
    for finding in findings:
        parts += [text[pos:finding.start], PLACEHOLDERS[finding.kind]]
        pos = finding.end
    parts.append(text[pos:])
    return "".join(parts)


# --- e-mail -------------------------------------------------------------------

# Starts only at the beginning of a local-part run, which keeps matching linear.
_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")


def _email_spans(text: str) -> list[Span]:
    return [m.span() for m in _EMAIL_RE.finditer(text)]


# --- IBAN -----------------------------------------------------------------------

# Country code, check digits, then 11-30 alphanumerics, optionally spaced.
# The candidate is greedy (it may swallow a following "BIC ..."), so
# _iban_spans tries it from the longest word-boundary end down.
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")


def _iban_spans(text: str) -> list[Span]:
    spans = []
    for m in _IBAN_RE.finditer(text):
        end = _longest_valid_iban_end(text, m.start(), m.end())
        if end is not None:
            spans.append((m.start(), end))
    return spans


def _longest_valid_iban_end(text: str, start: int, end: int) -> int | None:
    for stop in range(end, start, -1):
        at_boundary = stop == len(text) or not text[stop].isalnum()
        compact = text[start:stop].replace(" ", "")
        if at_boundary and text[stop - 1] != " " and 15 <= len(compact) <= 34 and _iban_checksum_ok(compact):
            return stop
    return None


def _iban_checksum_ok(compact: str) -> bool:
    # ISO 13616 / ISO 7064 mod 97-10: move country code and check digits to the
    # end, turn letters into numbers (A=10 ... Z=35); a real IBAN leaves
    # remainder 1. This catches every single typo and most random letter runs.
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


# --- numbers that are not personal (dates, times, money) ------------------------

# Dates, times and amounts are digit runs joined by - / . : and so look like
# phone or card numbers; they carry no customer identity, and case write-ups
# are full of them ("called at 10:30 on 25.11.2026 about the €1,299.00 order").
# They are masked before the card and phone detectors run.
_YMD_RE = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_DMY_RE = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})(?!\d)")
_NON_PERSONAL_RES = (
    re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)"),  # 10:30, 14:45:10
    re.compile(r"(?<!\d)(?:19|20)\d{2}[ \t]?[-–][ \t]?(?:19|20)\d{2}(?!\d)"),  # 2019-2026
    re.compile(r"(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF))[ \t]?\d[\d.,']*"),  # €1,299.00, USD 20
    re.compile(r"(?<![\d.,'])\d[\d.,']*[ \t]?(?:[€$£¥]|(?:EUR|USD|GBP|CHF)\b)"),  # 1.299,00 EUR
)


def _mask_non_personal_numbers(text: str) -> str:
    spans = [m.span() for m in _YMD_RE.finditer(text) if _is_month_day(m["m"], m["d"])]
    spans += [m.span() for m in _DMY_RE.finditer(text) if _is_day_month_pair(m["a"], m["b"])]
    spans += [m.span() for regex in _NON_PERSONAL_RES for m in regex.finditer(text)]
    return _overwrite(text, _merge(spans), lambda n: "x" * n)


def _is_month_day(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _is_day_month_pair(first: str, second: str) -> bool:
    """25.11 (day first) or 11/25 (month first)."""
    return _is_month_day(first, second) or _is_month_day(second, first)


# --- payment cards -------------------------------------------------------------

# A run of digit groups joined by single spaces or dashes, not the tail of a
# word or code and not the middle of a longer run.
_DIGIT_RUN_RE = re.compile(r"(?<![\w+])(?<![\w\]]-)(?<!\d[ -])\d+(?:[ -]\d+)*(?!\w)")
_DIGITS_RE = re.compile(r"\d+")


def _card_spans(text: str) -> list[Span]:
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

_PHONE_RE = re.compile(
    r"""
    (?<![\w+#@\]])        # not glued to a word, ticket '#', e-mail or placeholder
    (?<![\w\]][-/.])      # not the numeric tail of a code such as ORD-2026-118834
    (?<!\d[ ./-])         # not the middle of a longer digit run
    (?:\+[ \t]?)?                                   # +49 / + 49
    (?:\(\+?\d+\)|\d)                               # (+1) or a digit
    (?:(?:[ \t]?[-./][ \t]?|[ \t])?(?:\(\d+\)|\d))* # (0)30, 555-0132, 030/123
    (?!\w)
    """,
    re.VERBOSE,
)


def _phone_spans(text: str) -> list[Span]:
    # At least 7 digits (a local number) so order and ticket numbers stay;
    # at most 15, the E.164 maximum, so long account numbers are not phones.
    return [m.span() for m in _PHONE_RE.finditer(text) if 7 <= sum(ch.isdigit() for ch in m.group()) <= 15]


# --- marked names --------------------------------------------------------------


def _name_spans(text: str, names: tuple[str, ...]) -> list[Span]:
    """Whole-word, case-insensitive; any whitespace between a name's words."""
    spans = []
    for name in names:
        body = r"\s+".join(re.escape(word) for word in name.split())
        spans += [m.span() for m in re.finditer(rf"(?<!\w){body}(?!\w)", text, re.IGNORECASE)]
    return spans
