"""`flask progress rebuild`: count the monthly summary (summary.py) for every zone team
and programme pages are viewed in. Run it hourly or nightly (cron, a systemd timer);
running it twice gives the same rows, so it is safe at any time."""
from learning.progress import sources, summary
from learning.progress.periods import Window
from learning.progress.programme import programme_tables


def rebuild_zone(zone, today=None):
    """Replace one zone's summary; returns the person-month rows written."""
    window = Window(zone, today)
    counts = sources.activity_counts(None, window.start, window.end, zone)
    return summary.store(window, sources.by_person_month(counts), programme_tables(window, counts))


def rebuild(programme_zone, today=None):
    """{zone: person-month rows} for every zone of summary_zones()."""
    return {zone: rebuild_zone(zone, today) for zone in summary.summary_zones(programme_zone)}
