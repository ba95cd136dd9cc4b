"""Time zones: the one place that converts between stored UTC and wall-clock time.

Every DateTimeField holds a naive UTC datetime. Forms convert in with
`to_utc`, templates convert out with `to_local`.
"""
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=1)
def zone_names():
    """Sorted IANA zone names offered in forms (no legacy aliases such as 'US/Eastern')."""
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "US/"))) + ["UTC"]


def is_valid_zone(name):
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name):
    return ZoneInfo(name)


def to_utc(local_naive, zone_name):
    """Wall-clock time in `zone_name` -> naive UTC."""
    aware = local_naive.replace(tzinfo=ZoneInfo(zone_name))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def to_local(utc_naive, zone_name):
    """Naive UTC -> aware datetime in `zone_name`."""
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone_name))


def aware_utc(utc_naive):
    return utc_naive.replace(tzinfo=timezone.utc)


def now_in(zone_name):
    return datetime.now(ZoneInfo(zone_name))
