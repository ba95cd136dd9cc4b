"""One-off timed steps: a coach's bulk action measured once, in-process, on the benchmark's
database, inside a transaction that is rolled back afterwards (the organisation stays as it was
generated, so the pages and a later run see the same rows). Each step has its own row in the
report: seconds, queries, and its target."""
import time
from datetime import datetime, timedelta

from playhouse.test_utils import count_queries

from bench import people_import
from learning.accounts.models import User
from learning.db import db
from learning.schedule import enrolment, service
from learning.schedule.recurrence import build_rule

STEP_TARGET_S = {"enrol 200 people in a 52-week series": 2.0}


def enrol_people_in_a_year_of_sessions(app, people=200, weeks=52, capacity=150):
    """An admin enrols `people` agents from across the organisation in a new weekly series of
    `weeks` sessions with `capacity` seats (so the waitlist is written too)."""
    name = f"enrol {people} people in a {weeks}-week series"
    app.config["SCHEDULE_HORIZON_DAYS"] = 7 * (weeks + 2)
    with app.app_context():
        db.connect(reuse_if_open=True)
        admin = User.select().where(User.role == "admin").order_by(User.id).first()
        agents = [u.id for u in User.select(User.id).where(User.role == "agent", User.active == True,  # noqa: E712
                                                           User.team.is_null(False)).order_by(User.id)]
        chosen = agents[::max(1, len(agents) // people)][:people]
        first = (datetime.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
        with db.atomic() as transaction:
            series = service.create_series(admin, "skill", "Benchmark: a year of weekly sessions", "Europe/Berlin",
                                           first, 60, rrule=build_rule("weekly", first, count=weeks), capacity=capacity)
            started = time.perf_counter()
            with count_queries() as counter:
                outcomes = enrolment.enrol_in_series(series, admin, user_ids=chosen)
            seconds = time.perf_counter() - started
            places = sum(o.going + o.waiting for o in outcomes)
            transaction.rollback()
        db.close()
    return {"name": name, "seconds": round(seconds, 3), "queries": counter.count, "people": len(chosen),
            "rows": places, "target_s": STEP_TARGET_S.get(name)}


def run_steps(app):
    return [enrol_people_in_a_year_of_sessions(app), *people_import.time_people_import(app)]
