"""Months in the viewer's time zone: the window a page covers, its labels, and
the SQL expression that buckets a stored UTC time into the viewer's month."""
from datetime import date, datetime, timedelta

from peewee import SQL, fn

from learning.db import is_sqlite
from learning.timezones import now_in, to_utc


def month_key(day):
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day, count):
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_months(zone_name, count=12, today=None):
    """The first days of the last `count` months, oldest first, ending with this month."""
    today = today or now_in(zone_name).date()
    this_month = date(today.year, today.month, 1)
    return [add_months(this_month, -i) for i in range(count - 1, -1, -1)]


def month_label(day):
    return day.strftime("%b %Y")


def utc_bounds(months, zone_name):
    """[start, end) in naive UTC covering the months as the viewer's wall clock sees them."""
    start = datetime.combine(months[0], datetime.min.time())
    end = datetime.combine(add_months(months[-1], 1), datetime.min.time())
    return to_utc(start, zone_name), to_utc(end, zone_name)


class Window:
    """The twelve months a page covers as `zone` sees them: their first days and keys, the
    UTC range of the whole year and where this month's rows start."""

    def __init__(self, zone, today=None, count=12):
        self.zone = zone
        self.months = last_months(zone, count, today)
        self.keys = [month_key(m) for m in self.months]
        self.current = self.keys[-1]
        self.start, self.end = utc_bounds(self.months, zone)
        self.current_start = utc_bounds(self.months[-1:], zone)[0]


def zone_offset_minutes(zone_name):
    return int(now_in(zone_name).utcoffset() / timedelta(minutes=1))


def local_month(field, zone_name):
    """SQL: 'YYYY-MM' of a UTC DateTimeField in the viewer's zone (at today's offset;
    a summer-time shift moves a midnight event by an hour at most)."""
    offset = zone_offset_minutes(zone_name)
    if is_sqlite():
        return fn.strftime("%Y-%m", field, f"{offset:+d} minutes")
    return fn.to_char(field + SQL(f"interval '{offset} minutes'"), "YYYY-MM")


def month_of_date(field):
    """SQL: 'YYYY-MM' of a DateField."""
    if is_sqlite():
        return fn.strftime("%Y-%m", field)
    return fn.to_char(field, "YYYY-MM")


def streaks(active_months, months):
    """(current, longest) runs of consecutive months with activity. The current run
    ends this month, or last month when this month has no activity yet."""
    flags = [month_key(m) in active_months for m in months]
    longest = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    current = 0
    tail = flags if flags and flags[-1] else flags[:-1]
    for flag in reversed(tail):
        if not flag:
            break
        current += 1
    return current, longest
