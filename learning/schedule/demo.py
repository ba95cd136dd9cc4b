"""Demo schedule (seeds/schedule.json): a quarter of sessions around today, weekly skill
sessions on the service principles and a fortnightly case-review meetup per team, with
RSVPs, attendance and feedback in the past ones; and a team's weekly huddle with the whole
team enrolled at once (seats, then the waitlist). Idempotent: series are found by title."""
import random
from datetime import date, datetime, timedelta

from learning.accounts.models import Team, User
from learning.db import utcnow
from learning.seeds import read_seed
from learning.schedule import attendance, enrolment, service
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.recurrence import build_rule


def first_start(weeks_back, weekday, hour):
    """The given weekday `weeks_back` weeks ago, at `hour`."""
    day = date.today() - timedelta(weeks=weeks_back)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, hour)


def make_series(seed, spec, context, kind, weeks, interval=1, team=None):
    if Series.select().where(Series.title == spec["title"]).exists():
        return None
    first = first_start(seed["weeks_back"], spec["weekday"], spec["hour"])
    pattern = "weekly" if interval == 1 else "every_n_weeks"
    competency = context["competencies"].get(spec.get("competency"))
    return service.create_series(
        created_by=context["users"][spec["facilitator"]], kind=kind, title=spec["title"],
        timezone=seed["timezone"], first_start_local=first, duration_minutes=spec["minutes"],
        rrule=build_rule(pattern, first, interval=interval, count=weeks // interval), capacity=spec.get("capacity"),
        team=team, description=spec["description"], location=spec.get("location", ""),
        video_url=spec.get("video_url", ""), competency_ids=[competency.id] if competency else [],
        facilitator_ids=[context["users"][spec["facilitator"]].id], history=True)


def fill(series, people, seed, rng):
    """Places for the series' sessions; the past ones also get attendance and feedback."""
    now = utcnow()
    for session in series.sessions.order_by(Session.starts_at):
        past = session.starts_at < now
        for person in rng.sample(people, min(len(people), rng.randint(3, 7 if past else 5))):
            service.SEATS.claim(session, person)
        if past:
            record_history(session, people, seed, rng)


def record_history(session, people, seed, rng):
    going = [p.user_id for p in Rsvp.select().where(Rsvp.session == session, Rsvp.status == "going")]
    marks = {uid: rng.choices(["attended", "no_show", "excused"], [8, 1, 1])[0] for uid in going}
    walk_ins = [p.id for p in people if p.id not in going][:rng.randint(0, 1)]
    attendance.record_attendance(session, marks, walk_ins)
    for place in Rsvp.select().where(Rsvp.session == session, Rsvp.attendance == "attended"):
        if rng.random() < 0.7:
            attendance.leave_feedback(session, place.user, rng.choice([3, 4, 4, 5, 5]),
                                      rng.choice(seed["comments"] + [""] * 4))


def book_demo_agent(context):
    """agent@example.com holds a few upcoming places, so My schedule has something to show."""
    agent = context["users"].get("agent@example.com")
    upcoming = Session.select().where(Session.starts_at > utcnow()).order_by(Session.starts_at).limit(4)
    for session in upcoming:
        if not Rsvp.select().where(Rsvp.session == session, Rsvp.user == agent).exists():
            service.SEATS.claim(session, agent)


def enrolled_team_series(seed, context):
    """A team's weekly series from next week on, its coach having enrolled the whole team at once."""
    added = 0
    for spec in seed.get("team_series", []):
        if Series.select().where(Series.title == spec["title"]).exists():
            continue
        team, coach = Team.get(Team.name == spec["team"]), context["users"][spec["facilitator"]]
        first = first_start(-1, spec["weekday"], spec["hour"])
        series = service.create_series(
            created_by=coach, kind="skill", title=spec["title"], timezone=seed["timezone"], first_start_local=first,
            duration_minutes=spec["minutes"], rrule=build_rule("weekly", first, count=spec["weeks"]),
            capacity=spec["capacity"], team=team, description=spec["description"], location=spec["location"],
            facilitator_ids=[coach.id])
        enrolment.enrol_in_series(series, coach, team=team)
        added += 1
    return added


def load(context):
    seed = read_seed("schedule.json")
    rng = random.Random(3)
    everyone = [u for u in User.select().where(User.active == True, User.role == "agent").order_by(User.id)]  # noqa: E712
    added = 0
    for spec in seed["skill_series"]:
        series = make_series(seed, spec, context, "skill", seed["weeks"])
        if series:
            fill(series, everyone, seed, rng)
            added += 1
    for spec in seed["meetups"]:
        team = Team.get(Team.name == spec["team"])
        series = make_series(seed, spec, context, "case_review", seed["weeks"], interval=2, team=team)
        if series:
            fill(series, [u for u in everyone if u.team_id == team.id], seed, rng)
            added += 1
    if added:
        book_demo_agent(context)
    added += enrolled_team_series(seed, context)
    context["schedule_series"] = {s.title: s for s in Series.select()}
    return f"{added} series" if added else None
