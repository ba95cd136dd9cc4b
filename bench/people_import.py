"""A one-off timed step of the bench run: the people import of a 5,000-line HR file
against the generated organisation (4,000 people it knows, a quarter of them moving
team, and 1,000 new people), preview and import each timed. Target: each under 10 s.
The import is rolled back afterwards, so the organisation stays as generated and a
later run (`--reuse`) measures the same thing."""
import csv
import io
import time

from playhouse.test_utils import count_queries

from learning.accounts import people_import
from learning.accounts.models import Team, User
from learning.db import db

LINES = 5000
KNOWN = 4000
TARGET_S = 10.0


def people_file(lines=LINES, known=KNOWN):
    """The CSV bytes: `known` stored people (every fourth in the next team) and new ones."""
    teams = [name for (name,) in Team.select(Team.name).order_by(Team.id).tuples()]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "team", "role", "timezone", "employee_id", "start_date"])
    stored = (User.select(User.email, User.display_name, User.team, User.role, User.timezone)
              .where(User.role == "agent", User.active == True).order_by(User.id).limit(known))  # noqa: E712
    names = dict(Team.select(Team.id, Team.name).tuples())
    count = 0
    for count, (email, name, team_id, role, zone) in enumerate(stored.tuples(), start=1):
        team = names.get(team_id, teams[0])
        if count % 4 == 0:
            team = teams[(teams.index(team) + 1) % len(teams)]
        writer.writerow([email, name, team, role, zone, "", ""])
    for n in range(lines - count):
        writer.writerow([f"new.hire{n:05}@bench.example", f"New Hire {n:05}", teams[n % len(teams)], "agent",
                         "Europe/Berlin", f"NH{n:05}", "2026-01-05"])
    return out.getvalue().encode()


def time_people_import(app):
    """Two one-off steps (bench/steps.py): the admin's preview (upload checked, compared, kept)
    and confirmation (checked again, written), then rolled back."""
    data = people_file()
    lines = data.count(b"\n") - 1
    with app.app_context():
        db.connect(reuse_if_open=True)
        admin = User.select().where(User.role == "admin").order_by(User.id).get()
        with db.atomic() as transaction:
            started = time.perf_counter()
            with count_queries() as previewing:
                plan, token = people_import.stage(data, "bench.csv", people_import.Options(), admin)
            preview = time.perf_counter() - started
            if token is None:
                raise RuntimeError(f"the bench people file has problems: {plan.problems[:3]}")
            started = time.perf_counter()
            with count_queries() as writing:
                outcome = people_import.confirm(people_import.pending_for(token, admin), admin)
            written = time.perf_counter() - started
            transaction.rollback()
        db.close()
    name = f"people import, {lines:,} lines"
    return [{"name": f"{name}: preview", "seconds": round(preview, 3), "queries": previewing.count, "rows": lines,
             "target_s": TARGET_S},
            {"name": f"{name}: import", "seconds": round(written, 3), "queries": writing.count,
             "rows": outcome.created + outcome.updated, "target_s": TARGET_S}]
