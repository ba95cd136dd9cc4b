"""The monthly progress summary: what `flask progress rebuild` counts ahead of viewers,
and how pages read it.

What a viewer sees of one person (their own page) or of one team (its current
members, a few dozen) is read live with plain indexed queries. What cannot be read
live at scale is the programme page (a year of activity of 5,000-50,000 people) and,
less so, a team's trends over a year. For those, the rebuild keeps, per time zone
that team and programme pages are viewed in (the programme's and every active
coach's and admin's; months start at local midnight):

- `PersonMonth`: one row per person and month with any learning activity (sessions
  attended, cases brought and discussed, modules completed, goals achieved). Rows
  belong to a person, not to a team: a team's closed months are the sum over its
  CURRENT members' rows, so someone who changes team takes their history along and
  both teams' pages are right the moment the move is saved, with no rebuild.
- `ProgressSummary`: per zone, when it counted, the year it covered and the programme
  page's tables (programme-wide figures do not depend on teams at all).

Why not the earlier roll-up (figures per page section and team, filled by the pages
and forgotten by signals): it wrote on GET, every change in another capability had to
announce itself, and a team's stored months went stale when its members changed.
Here nothing reacts to events: the rebuild replaces a zone's rows in one transaction
(so it is idempotent and safe to run at any time, e.g. hourly), and a page uses them
only while they are younger than PROGRESS_SUMMARY_MAX_AGE_MINUTES and cover the year
the page shows; otherwise it counts from the raw rows (correct, slower at scale). A
team's current month is always read live (members only: cheap); the programme's
current month is as of the rebuild, and the page says when that was.

The rebuild writes a zone's person-months with one INSERT ... SELECT (person_months.py) and
counts the programme's tables in SQL; its statements do not grow with people. Measured on a
busy machine (load 10-16), four zones, before (rows counted in Python, written 100 at a time)
and after: scale 1 SQLite 17.8-35.5 s (9.4 s of CPU) -> 5.9-10.9 s (3.4 s); scale 1 PostgreSQL
48.7-50.7 s -> 17.2-30.7 s; scale 10 PostgreSQL 358 s -> 242 s (docs/benchmark.md).
"""
import json
from dataclasses import asdict
from datetime import timedelta

from flask import current_app, has_app_context

import config
from learning.accounts.models import User
from learning.db import db, utcnow
from learning.progress import person_months
from learning.progress.models import PersonMonth, ProgressSummary
from learning.progress.tables import Table


def max_age():
    """How old the summary may be before pages count from the raw rows instead."""
    minutes = (current_app.config["PROGRESS_SUMMARY_MAX_AGE_MINUTES"] if has_app_context()
               else config.Config.PROGRESS_SUMMARY_MAX_AGE_MINUTES)
    return timedelta(minutes=minutes)


def fresh(window):
    """The zone's summary when it covers the window's year and is younger than max_age(), else None."""
    return (ProgressSummary.select()
            .where(ProgressSummary.zone == window.zone, ProgressSummary.first_month == window.keys[0],
                   ProgressSummary.computed_at > utcnow() - max_age())
            .first())


def programme_tables(summary):
    """The programme page's tables as the rebuild counted them."""
    tables = []
    for fields in json.loads(summary.programme):
        fields.update(numeric=tuple(fields["numeric"]), heat=tuple(fields["heat"]))
        tables.append(Table(**fields))
    return tables


def summary_zones(programme_zone):
    """The zones team and programme pages are viewed in: the programme's, every active coach's and admin's."""
    viewers = (User.select(User.timezone).where(User.active == True, User.role.in_(["coach", "admin"]))  # noqa: E712
               .distinct().tuples())
    return sorted({programme_zone} | {zone for (zone,) in viewers})


def store(window, tables_from):
    """Replace the zone's summary in one transaction: everyone's person-months of the window
    (one INSERT ... SELECT), then the programme's tables, which `tables_from(stored rows)`
    counts from them. Returns the person-month rows written."""
    with db.atomic():
        PersonMonth.delete().where(PersonMonth.zone == window.zone).execute()
        rows = person_months.store(window)
        tables = tables_from(person_months.stored(window.zone))
        ProgressSummary.delete().where(ProgressSummary.zone == window.zone).execute()
        ProgressSummary.create(zone=window.zone, first_month=window.keys[0], computed_at=utcnow(),
                               programme=json.dumps([asdict(t) for t in tables]))
    return rows
