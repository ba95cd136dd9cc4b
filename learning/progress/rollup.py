"""The monthly roll-up: figures of closed months, kept so a page does not
aggregate a year of raw rows on every view.

A page asks for a section (e.g. "participation") over its twelve months. Each
closed month is read from `MonthFigures`; the first time a month is read (or
after it was forgotten) it is computed from the raw rows and stored. The current
month is computed from this month's rows only and kept for at most
CURRENT_MONTH_MAX_AGE (the page says as of when), forgotten sooner by the same
events as a closed month.

A stored month is exactly what the live query gives for that month: it is keyed
by the UTC range its rows come from (`starts`, `ends`: the month as the viewer's
zone buckets it, cut at the window's start like the year query was), so a
viewer in another zone or a window that starts mid-bucket gets its own row.

Closed months change only through known events, and each forgets the months it
touches (see `subscribers`): attendance recorded or a session cancelled (the
session's month), a case submitted or discussed, a module completed (the time
stamped), service measures imported (the imported months). Whole-window tables
that no event announces (feedback per series, module completion) are kept for
at most WHOLE_WINDOW_MAX_AGE and the page says when they were computed.
"""
import json
from datetime import datetime, timedelta

from learning.db import db, utcnow
from learning.progress.models import MonthFigures
from learning.progress.periods import add_months, month_key, utc_bounds, zone_offset_minutes

WHOLE_WINDOW_MAX_AGE = timedelta(minutes=10)
CURRENT_MONTH_MAX_AGE = timedelta(minutes=5)

# Sections fed by the schedule (attendance), cases, curriculum and service measures.
SCHEDULE = ("participation", "active", "team_activity")
CASES = ("active", "team_activity", "cases")
CURRICULUM = ("active", "team_activity")
MEASURES = ("measures", "team_measures")


class Window:
    """The months a page covers, as `zone` sees them: the UTC range of each month's
    bucket (today's offset, as periods.local_month buckets) cut to the window's range."""

    def __init__(self, months, zone):
        self.months, self.zone = months, zone
        self.keys = [month_key(m) for m in months]
        self.current = self.keys[-1]
        self.start, self.end = utc_bounds(months, zone)
        offset = timedelta(minutes=zone_offset_minutes(zone))
        self.spans = {}       # key: (lo, hi) of rows bucketed into that month inside [start, end)
        self.date_spans = {}  # key: (first day, first day of the next month) for DateField months
        for month, key in zip(months, self.keys):
            lo = datetime.combine(month, datetime.min.time()) - offset
            hi = datetime.combine(add_months(month, 1), datetime.min.time()) - offset
            self.spans[key] = (max(lo, self.start), min(hi, self.end))
            self.date_spans[key] = (datetime.combine(month, datetime.min.time()),
                                    datetime.combine(add_months(month, 1), datetime.min.time()))

    @property
    def closed(self):
        return self.keys[:-1]

    def live_range(self):
        """UTC [lo, end) of the current month's rows (lo: the start of its bucket)."""
        return self.spans[self.current][0], self.end


class Rollup:
    """The stored months of one scope ("programme", "team:<id>:<members>") for one window:
    read in one query on first use, missing months computed once per section and stored."""

    def __init__(self, scope, window):
        self.scope, self.window = scope, window
        self._rows = None
        self._once = {}
        self._pending = []
        self.as_of = None   # when the oldest current-month figures shown were computed (None: just now)

    def once(self, key, compute):
        """compute() the first time `key` is asked for in this request (sections sharing a query)."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def _stored(self):
        if self._rows is None:
            self._rows = {}
            query = (MonthFigures.select(MonthFigures.section, MonthFigures.month, MonthFigures.starts,
                                         MonthFigures.ends, MonthFigures.payload, MonthFigures.computed_at)
                     .where(MonthFigures.scope == self.scope, MonthFigures.month.in_(self.window.keys)))
            for section, month, starts, ends, payload, computed_at in query.tuples():
                self._rows[(section, month, _naive(starts), _naive(ends))] = (payload, _naive(computed_at))
        return self._rows

    def _store(self, section, spans, payloads):
        """Note rows to write (replacing what the scope kept for these months); `save` writes them."""
        now = utcnow()
        self._pending += [{"scope": self.scope, "section": section, "month": key, "starts": spans[key][0],
                           "ends": spans[key][1], "payload": json.dumps(payloads.get(key)), "computed_at": now}
                          for key in spans]

    def save(self):
        """Write what this request computed: one delete and one insert. Two viewers computing the
        same month at once may both write it; the copies are equal and are forgotten together."""
        if not self._pending:
            return
        replaced = {}
        for row in self._pending:
            replaced.setdefault(row["section"], []).append(row["month"])
        condition = None
        for section, months in replaced.items():
            one = (MonthFigures.section == section) & MonthFigures.month.in_(months)
            condition = one if condition is None else condition | one
        with db.atomic():
            MonthFigures.delete().where(MonthFigures.scope == self.scope, condition).execute()
            MonthFigures.insert_many(self._pending).execute()
        self._pending = []

    def monthly(self, section, compute, live=None, dated=False):
        """{month key: payload} for every month of the window. `compute(lo, hi)` returns
        {month key: payload} for the rows in [lo, hi) (a JSON-able payload, None when empty);
        `live(closed)` computes the current month given the closed months' payloads
        (default: compute over the current month's live range).
        `dated`: the section buckets a DateField month (service measures), not a UTC time."""
        spans = self.window.date_spans if dated else self.window.spans
        stored = self._stored()
        result, missing = {}, {}
        for key in self.window.closed:
            lo, hi = spans[key]
            found = stored.get((section, key, lo, hi))
            if found is None or found[1] < hi:   # kept while it was this month: not final
                missing[key] = (lo, hi)
            else:
                result[key] = json.loads(found[0])
        current = self.window.current
        lo_live, end = self.window.live_range()
        kept = stored.get((section, current, lo_live, end))
        fresh_enough = kept is not None and kept[1] > utcnow() - CURRENT_MONTH_MAX_AGE
        found = None
        if missing:
            # one query for the missing months (and this month, when it is due and computed the same way)
            lo = min(lo for lo, _ in missing.values())
            whole = live is None and not fresh_enough
            found = compute(lo, end if whole else max(hi for _, hi in missing.values()))
            fresh = {key: found.get(key) for key in missing}
            self._store(section, missing, fresh)
            result.update(fresh)
        if fresh_enough:
            result[current] = json.loads(kept[0])
            self.as_of = min(self.as_of or kept[1], kept[1])
        else:
            if live is not None:
                result[current] = live(result)
            else:
                result[current] = (found if found is not None else compute(lo_live, end)).get(current)
            self._store(section, {current: (lo_live, end)}, {current: result[current]})
        return result

    def whole(self, section, compute):
        """(payload, computed at) for a table over the whole window that no event announces:
        kept WHOLE_WINDOW_MAX_AGE."""
        span = {self.window.current: (self.window.start, self.window.end)}
        found = self._stored().get((section, self.window.current, self.window.start, self.window.end))
        if found is not None and found[1] > utcnow() - WHOLE_WINDOW_MAX_AGE:
            return json.loads(found[0]), found[1]
        payload = compute()
        self._store(section, span, {self.window.current: payload})
        return payload, utcnow()


def _naive(value):
    if isinstance(value, str):     # SQLite hands back what it stored as text
        return datetime.fromisoformat(value)
    return value.replace(tzinfo=None) if value is not None and value.tzinfo else value


# --- forgetting what changed ---------------------------------------------------------

def forget(sections, when):
    """Forget the stored months of these sections (every scope) whose rows include `when` (UTC)."""
    if when is None:
        return
    (MonthFigures.delete()
     .where(MonthFigures.section.in_(list(sections)), MonthFigures.starts <= when, MonthFigures.ends > when)
     .execute())


def forget_months(sections, months):
    """Forget the stored months of these sections whose rows overlap DateField months (the first
    days). Overlap, not the first day: this month is kept under the viewer's bucket, which in a
    zone west of UTC starts hours after the first day."""
    for month in months:
        lo = datetime.combine(month, datetime.min.time())
        hi = datetime.combine(add_months(month, 1), datetime.min.time())
        (MonthFigures.delete()
         .where(MonthFigures.section.in_(list(sections)), MonthFigures.starts < hi, MonthFigures.ends > lo)
         .execute())


def forget_section(sections):
    MonthFigures.delete().where(MonthFigures.section.in_(list(sections))).execute()


class Live(Rollup):
    """The same interface without the roll-up: every section computed from the raw rows
    of the whole window, as a page did before the roll-up (tests compare the two)."""

    def __init__(self, window):
        super().__init__(None, window)

    def monthly(self, section, compute, live=None, dated=False):
        spans = self.window.date_spans if dated else self.window.spans
        lo, hi = (spans[self.window.keys[0]][0], spans[self.window.current][1]) if dated \
            else (self.window.start, self.window.end)
        found = compute(lo, hi)
        result = {key: found.get(key) for key in self.window.keys}
        if live is not None and dated:
            result[self.window.current] = live(result)
        return result

    def whole(self, section, compute):
        return compute(), None

    def save(self):
        pass
