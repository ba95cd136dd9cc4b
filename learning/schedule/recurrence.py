"""Recurrence: RFC 5545 rules expanded with python-dateutil on wall-clock time.

A series' rule runs in its own time zone on naive wall-clock datetimes, so a
weekly 10:00 session stays at 10:00 across daylight-saving changes; only the
conversion to UTC (learning.timezones.to_utc) shifts.
"""
from datetime import datetime, time, timedelta

from dateutil.rrule import rrulestr
from learning.refusals import Refused

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PATTERNS = {
    "once": "One-off session",
    "weekly": "Every week",
    "every_n_weeks": "Every N weeks",
    "monthly_nth_weekday": "Monthly on the Nth weekday",
}


def build_rule(pattern, first_start_local, interval=1, until=None, count=None):
    """RRULE text (without "RRULE:") for one of the form's patterns; "" for a one-off.

    Weekly rules repeat on the first session's weekday; monthly ones on the same
    Nth weekday of the month as the first session (the 5th means the last).
    `until` is a local date (inclusive), `count` a number of sessions.
    """
    if pattern == "once":
        return ""
    weekday = WEEKDAY_CODES[first_start_local.weekday()]
    if pattern == "weekly":
        parts = ["FREQ=WEEKLY", f"BYDAY={weekday}"]
    elif pattern == "every_n_weeks":
        parts = ["FREQ=WEEKLY", f"INTERVAL={int(interval)}", f"BYDAY={weekday}"]
    elif pattern == "monthly_nth_weekday":
        nth = (first_start_local.day - 1) // 7 + 1
        parts = ["FREQ=MONTHLY", f"BYDAY={-1 if nth == 5 else nth}{weekday}"]
    else:
        raise Refused("Choose how often the session repeats.")
    if count:
        parts.append(f"COUNT={int(count)}")
    elif until:
        parts.append("UNTIL=" + datetime.combine(until, time(23, 59, 59)).strftime("%Y%m%dT%H%M%S"))
    return ";".join(parts)


def parse_rule(rule_text, first_start_local):
    """The dateutil rule for `rule_text` starting at `first_start_local` (naive wall-clock)."""
    text = (rule_text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    try:
        return rrulestr(text, dtstart=first_start_local, ignoretz=True)
    except (ValueError, TypeError, OverflowError) as error:
        raise Refused(f"The repeat rule cannot be read ({error}).") from None


def occurrences(rule_text, first_start_local, until_local, after_local=None):
    """Wall-clock starts of the rule from `after_local` (inclusive, default the first) up to
    `until_local` (inclusive). A one-off (empty rule) yields the first start alone."""
    after_local = after_local or first_start_local
    if not (rule_text or "").strip():
        return [first_start_local] if after_local <= first_start_local <= until_local else []
    rule = parse_rule(rule_text, first_start_local)
    return list(rule.between(after_local, until_local, inc=True))


def next_occurrences(rule_text, first_start_local, limit=8, within_days=3660):
    """The first `limit` starts, for the form's preview."""
    if not (rule_text or "").strip():
        return [first_start_local]
    rule = parse_rule(rule_text, first_start_local)
    horizon = first_start_local + timedelta(days=within_days)
    found = []
    for start in rule:
        if start > horizon or len(found) >= limit:
            break
        found.append(start)
    return found


def form_values(rule_text):
    """The form's pattern, interval and count for a stored rule (for editing a series)."""
    text = (rule_text or "").upper()
    if not text:
        return {"pattern": "once"}
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    values = {"ends": "never"}
    if "COUNT" in parts:
        values = {"ends": "count", "count": int(parts["COUNT"])}
    elif "UNTIL" in parts:
        values = {"ends": "until", "until": datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()}
    if parts.get("FREQ") == "MONTHLY":
        return {"pattern": "monthly_nth_weekday", **values}
    interval = int(parts.get("INTERVAL", "1"))
    if interval > 1:
        return {"pattern": "every_n_weeks", "interval": interval, **values}
    return {"pattern": "weekly", **values}
