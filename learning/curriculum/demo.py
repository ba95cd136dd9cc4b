"""Demo modules (seeds/curriculum.json): the boundaries foundation before three advanced
modules, a cohort running now with participants at different stages, past completions
(one refresher coming due, one expired). The demo agent (agent@example.com) has not done
the foundation, so the technique modules show locked. Marco enrols his whole team in the
new year cohort in one action (those without the foundation are refused, the others get seats)."""
from datetime import datetime, time, timedelta

from learning.accounts.models import Team
from learning.curriculum import authoring, cohort_batch, service
from learning.curriculum.models import Completion, Enrolment, Module, Unit
from learning.db import utcnow
from learning.seeds import read_seed
from learning.schedule import service as schedule
from learning.schedule.attendance import record_attendance
from learning.schedule.models import Session
from learning.timezones import to_utc

ZONE = "Europe/Berlin"


def load(context):
    data = read_seed("curriculum.json")
    if Module.select().where(Module.title == data["modules"][0]["title"]).exists():
        context["modules"] = {m.title: m for m in Module.select()}
        return None
    users, competencies = context["users"], context["competencies"]
    modules = {}
    author = users["admin@example.com"]
    for item in data["modules"]:
        module = authoring.save_module(
            None, author, item["title"], item["summary"], item["area"], item["hours"], item.get("validity_months"),
            [competencies[name].id for name in item["competencies"] if name in competencies],
            [modules[name].id for name in item["prerequisites"]])
        for unit in item["units"]:
            authoring.save_unit(None, module, unit["title"], unit["material"], exercise=unit.get("exercise", ""))
        modules[module.title] = authoring.set_published(module, True)
    cohorts = {c["title"]: _cohort(c, modules, users) for c in data["cohorts"]}
    for item in data["completions"]:
        _completion(item, modules, cohorts, users)
    for c in data["cohorts"]:
        _participants(c, cohorts[c["title"]], modules[c["module"]], users)
        if c["sessions"]:
            _attendance(c, cohorts[c["title"]], users)
    for item in data.get("team_enrolments", []):   # a coach enrols a whole team in one action
        team = Team.get(Team.name == item["team"])
        cohort_batch.enrol_people(cohorts[item["cohort"]], users[item["coach"]], team=team)
    context["modules"] = modules
    return f"{len(modules)} modules, {len(cohorts)} cohorts, {len(data['completions'])} past completions"


def _cohort(item, modules, users):
    today = utcnow().date()
    module, coach = modules[item["module"]], users[item["coach"]]
    series_id = _series(item, module, coach) if item["sessions"] else None
    return authoring.save_cohort(None, module, coach, item["title"], today + timedelta(days=item["starts_in_days"]),
                                 today + timedelta(days=item["ends_in_days"]), item["capacity"], series_id)


def _series(item, module, coach):
    """The cohort's weekly sessions: the coming ones through the schedule service, those
    already held added to the same series (the service takes no first session in the past)."""
    first_day = utcnow().date() + timedelta(days=item["starts_in_days"])
    starts = [datetime.combine(first_day + timedelta(weeks=n), time(item["session_hour"]))
              for n in range(item["sessions"])]
    future = [s for s in starts if to_utc(s, ZONE) > utcnow() + timedelta(hours=1)]
    held = [s for s in starts if s not in future]
    series = schedule.create_series(coach, "module", f"{module.title}: {item['title']}", ZONE, future[0], 90,
                                    rrule=f"FREQ=WEEKLY;COUNT={len(future)}", location=item.get("location", ""),
                                    description=f"Sessions of the module cohort {item['title']}.",
                                    facilitator_ids=[coach.id])
    schedule.insert_sessions(series, held)
    return series.id


def _completion(item, modules, cohorts, users):
    when = utcnow() - timedelta(days=item["days_ago"])
    user, module = users[item["email"]], modules[item["module"]]
    if "by" in item:
        service.complete_by_coach(user, module, users[item["by"]], item["note"], now=when)
        return
    expires = service.add_months(when, module.validity_months) if module.validity_months else None
    service.SEATS.claim(cohorts[item["cohort"]], user, enrolled_by=user)  # a past cohort: no enrolment rules
    Completion.create(user=user, module=module, cohort=cohorts[item["cohort"]], completed_at=when,
                      expires_at=expires, method="rule")


def _participants(item, cohort, module, users):
    units = list(Unit.select().where(Unit.module == module).order_by(Unit.position))
    for email, done, _ in item["participants"]:
        user = users[email]
        problem = service.prerequisite_problem(user, module)
        coach = users[item["coach"]]
        service.enrol(cohort, user, by=coach if problem else None,
                      override_note="Joined ahead of the foundation: long experience on the phones." if problem else None)
        for unit in units[:done]:
            service.tick_unit(user, unit)


def _attendance(item, cohort, users):
    """Places and recorded attendance at the sessions already held: the first `attended`
    sessions attended, the later ones missed."""
    held = list(Session.select().where(Session.series == cohort.series_id, Session.starts_at <= utcnow())
                .order_by(Session.starts_at))
    going = {e.user_id for e in Enrolment.select().where(Enrolment.cohort == cohort, Enrolment.status == "going")}
    people = [(users[email], attended) for email, _, attended in item["participants"] if users[email].id in going]
    for number, session in enumerate(held):
        for user, _ in people:
            schedule.claim_place(session, user)
        record_attendance(session, {user.id: "attended" if number < attended else "no_show"
                                    for user, attended in people})
