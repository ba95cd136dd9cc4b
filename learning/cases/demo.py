"""Demo case reviews (seeds/cases.json): team and programme-wide meetups, cases in the
queue and on an agenda, and discussed cases with takeaways in the library.

Uses the schedule's case-review series when the schedule demo made them (one
per team, or programme-wide), else creates a weekly series with a past meetup
and two coming ones.
"""
from datetime import timedelta

import peewee as pw

from learning.accounts.models import Team
from learning.cases import meetups, service
from learning.cases.models import AgendaItem, Case, DebriefPrompt
from learning.db import utcnow
from learning.seeds import read_seed
from learning.schedule.models import Rsvp, Series, Session


def load(context):
    data = read_seed("cases.json")
    if Case.select().where(Case.title == data["cases"][0]["title"]).exists():
        return None
    users, competencies = context["users"], context.get("competencies", {})
    meetup_sessions = {spec["title"]: _meetup(spec, users) for spec in data["meetups"]}
    for spec in data["cases"]:
        _case(spec, users, competencies, meetup_sessions[spec["meetup"]])
    return f"{len(data['cases'])} cases in {len(data['meetups'])} meetup series"


def _meetup(spec, users):
    """(past session, next session) of the spec's case-review series, with people going."""
    team = Team.get_or_none(Team.name == spec["team"]) if spec["team"] else None
    series = (Series.select().where(Series.kind == "case_review",
                                    Series.team.is_null() if team is None else Series.team == team)
              .order_by(Series.id).first()) or _series(spec, team, users)
    sessions = list(Session.select().where(Session.series == series, Session.status == "scheduled")
                    .order_by(Session.starts_at))
    now = utcnow()
    upcoming = [s for s in sessions if s.starts_at > now]
    past = [s for s in sessions if s.starts_at <= now]
    earlier, coming = (past[-1] if past else sessions[0]), (upcoming[0] if upcoming else sessions[-1])
    for session in {earlier, coming}:
        for email in spec["going"]:
            _going(session, users[email])
    return earlier, coming


def _series(spec, team, users):
    facilitator = users[spec["facilitator"]]
    today = utcnow().replace(hour=spec["weekday_hour"], minute=0, second=0)
    series = Series.create(kind="case_review", title=spec["title"], team=team, duration_minutes=60,
                           timezone="Europe/Berlin", first_start_local=today - timedelta(days=5),
                           rrule="FREQ=WEEKLY;INTERVAL=2", location="Room Lindgren / video",
                           description="Bring a tough interaction; we learn from each other's approaches.",
                           created_by=facilitator, generated_until=today + timedelta(days=30))
    for offset in (-5, 9, 23):
        starts = today + timedelta(days=offset)
        Session.create(series=series, uid=f"demo-case-review-{series.id}-{offset}@support-development",
                       recurrence_local=starts, starts_at=starts, ends_at=starts + timedelta(hours=1),
                       timezone="Europe/Berlin", location=series.location, facilitator=facilitator)
    return series


def _going(session, user):
    if Rsvp.select().where(Rsvp.session == session, Rsvp.user == user).exists():
        return
    last = Rsvp.select(pw.fn.MAX(Rsvp.queue_number)).where(Rsvp.session == session).scalar() or 0
    Rsvp.create(session=session, user=user, status="going", queue_number=last + 1)


def _case(spec, users, competencies, sessions):
    earlier, coming = sessions
    author = users[spec["author"]]
    data = {key: spec[key] for key in ("title", "channel", "customer_need", "actions", "outcome", "ask",
                                       "heaviness", "anonymous")}
    data.update(meetup_id=None, competency_ids=[competencies[n].id for n in spec["competencies"] if n in competencies])
    case = service.save_case(author, None, data, submit=True)
    for email in spec.get("voters", ()):
        service.upvote(users[email], case)
    runner = meetups.meetup_or_none(coming.id)
    coach = runner.facilitator or runner.series.created_by
    if spec["state"] == "scheduled":
        meetups.add_to_agenda(coach, runner, case.id, 20)
    elif spec["state"] == "discussed":
        _discuss(case, spec, users, competencies, earlier, coach)


def _discuss(case, spec, users, competencies, session, coach):
    position = AgendaItem.select().where(AgendaItem.session == session).count() + 1
    AgendaItem.create(session=session, case=case, position=position, minutes=20)
    case.status, case.meetup = "scheduled", session
    case.save()
    for email, body in spec["comments"]:
        if not users[email].is_coach:
            _going(session, users[email])
        meetups.add_comment(users[email], case, body)
    notes = spec["takeaways"]
    meetups.record_takeaways(coach, case, notes["what_worked"], notes["do_differently"], notes["principle"],
                             [competencies[n].id for n in notes["competencies"] if n in competencies])
    # Told as history: submitted before that meetup, discussed at it, any debrief already held.
    Case.update(submitted_at=session.starts_at - timedelta(days=4), discussed_at=session.ends_at,
                created_at=session.starts_at - timedelta(days=5)).where(Case.id == case.id).execute()
    DebriefPrompt.update(status="answered", handled_by=coach).where(DebriefPrompt.case == case.id).execute()
