"""`flask progress rebuild`: count the monthly summary (summary.py) for every zone team
and programme pages are viewed in. Run it hourly or nightly (cron, a systemd timer);
running it twice gives the same rows, so it is safe at any time. Later packages add their own
summaries to it (also_rebuild): the operations page's closed months, closed pulse rounds."""
import json
from dataclasses import asdict

from learning.db import db, is_sqlite
from learning.progress import summary
from learning.progress.measures import measure_definitions
from learning.progress.models import ProgressSummary
from learning.progress.periods import Window
from learning.progress.programme import measures_table, programme_tables


def rebuild_zone(zone, today=None):
    """Replace one zone's summary; returns the person-month rows written."""
    window = Window(zone, today)
    return summary.store(window, lambda stored: programme_tables(window, stored))


_ALSO = {}   # {dotted name: step}: registering again (every app the process builds) replaces


def also_rebuild(step):
    """Have the rebuild call `step(zones, today)` after the progress summary: how a package this one
    may not import (feedback, wellbeing) keeps its own summary on the same schedule."""
    _ALSO[f"{step.__module__}.{step.__qualname__}"] = step


def rebuild(programme_zone, today=None):
    """{zone: person-month rows} for every zone of summary_zones()."""
    zones = summary.summary_zones(programme_zone)
    written = {zone: rebuild_zone(zone, today) for zone in zones}
    for _, step in sorted(_ALSO.items()):
        step(zones, today)
    if not is_sqlite():
        # The rows were all just replaced: tell PostgreSQL's planner what is there now rather
        # than wait for autovacuum. Without statistics it took a zone for 355 rows (there are
        # 50,692 at scale 1) and read the whole zone's index to find a team's 50 people (31 ms).
        db.execute_sql("ANALYZE progress_person_month")
    return written


def refresh_measures(today=None):
    """After a measures import or its undo: put the new monthly averages into every stored
    programme summary, so the programme page shows them at once (its other tables, and
    learning activity, wait for the next rebuild). One aggregate per stored zone."""
    definitions = measure_definitions()
    for stored in ProgressSummary.select().order_by(ProgressSummary.id):  # one lock order for all writers
        window = Window(stored.zone, today)
        if window.keys[0] != stored.first_month:
            continue   # a summary of an earlier year is not read anyway
        tables = [measures_table(window, definitions) if table.name == "measures" else table
                  for table in summary.programme_tables(stored)]
        stored.programme = json.dumps([asdict(table) for table in tables])
        stored.save(only=[ProgressSummary.programme])
