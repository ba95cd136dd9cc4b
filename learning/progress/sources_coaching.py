"""What progress reads from coaching: competency ratings over time, plan goals
achieved, open and overdue goals, open support requests and time to first answer,
overdue check-ins, and the milestones (goal achieved, request answered, plan started)."""
from datetime import date, datetime, time, timedelta

import peewee as pw
from peewee import fn

from learning.coaching.models import CheckIn, Goal, GoalStatusChange, Plan, Rating, SupportRequest
from learning.competencies.models import Competency
from learning.progress.members import for_people
from learning.progress.periods import local_month, month_key, month_label
from learning.progress.tables import Table, shown

OPEN_GOALS = ("not_started", "in_progress")
CHECKIN_EVERY_DAYS = 30   # an active plan without a check-in for this long has one overdue


def _achieved(start, end):
    return (GoalStatusChange.select().join(Goal).join(Plan)
            .where(GoalStatusChange.new_status == "achieved",
                   GoalStatusChange.changed_at >= start, GoalStatusChange.changed_at < end))


def goals_achieved(user_ids, start, end, zone):
    """Query: (user_id, 'YYYY-MM', plan goals achieved)."""
    month = local_month(GoalStatusChange.changed_at, zone)
    query = (_achieved(start, end)
             .select(Plan.employee.alias("user_id"), month.alias("month"), fn.COUNT(GoalStatusChange.id).alias("n"))
             .group_by(Plan.employee, month))
    return for_people(query, Plan.employee, user_ids)


def _as_datetime(value):
    """SQLite hands back an aggregate over a CASE as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_date(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _midday(day):
    return datetime.combine(day, time(12))


def milestones(user_id, start, end):
    goals = (_achieved(start, end).switch(Goal).join(Competency)
             .select(GoalStatusChange.changed_at, Competency.name).where(Plan.employee == user_id))
    found = [(when, "Goal achieved", name, False) for when, name in goals.tuples()]
    answered = (SupportRequest.select(SupportRequest.answered_at)
                .where(SupportRequest.employee == user_id, SupportRequest.answered_at >= start,
                       SupportRequest.answered_at < end))
    found += [(when, "Support request answered", "Your coach answered your request", False)
              for (when,) in answered.tuples()]
    plans = Plan.select(Plan.start_date, Plan.title).where(
        Plan.employee == user_id, Plan.start_date >= start.date(), Plan.start_date < end.date())
    found += [(_midday(day), "Plan started", title, True) for day, title in plans.tuples()]
    return found


def competency_ratings(user_id, start, end):
    query = (Rating.select(Competency.name, Rating.source, Rating.rated_on, Rating.level).join(Competency)
             .where(Rating.employee == user_id, Rating.rated_on >= start.date(), Rating.rated_on < end.date())
             .order_by(Rating.rated_on, Rating.id))
    return [(name, source, _midday(day), level) for name, source, day, level in query.tuples()]


def latest_levels(user_ids):
    """([competency names rated in the group], {(user_id, name): latest level})."""
    levels, names = {}, {}
    for uid, name, position, cid, level in _latest_levels(user_ids):
        levels[(uid, name)] = level
        names[name] = (position, cid)
    return sorted(names, key=lambda n: names[n]), levels


def _latest_levels(user_ids):
    latest = (Rating.select(Rating.employee, Rating.competency, fn.MAX(Rating.rated_on).alias("day"))
              .where(Rating.employee.in_(user_ids)).group_by(Rating.employee, Rating.competency)
              .alias("latest"))
    return (Rating.select(Rating.employee, Competency.name, Competency.position, Competency.id, Rating.level)
            .join(Competency)
            .join(latest, on=((Rating.employee == latest.c.employee_id)
                              & (Rating.competency == latest.c.competency_id) & (Rating.rated_on == latest.c.day)))
            .order_by(Rating.id).tuples())


def goals(user_ids, today):
    """{user_id: (open goals, overdue goals)} of active plans."""
    overdue = fn.SUM(pw.Case(None, [(Goal.due_date < today, 1)], 0))
    query = (Goal.select(Plan.employee, fn.COUNT(Goal.id), overdue).join(Plan)
             .where(Goal.status.in_(OPEN_GOALS), Plan.status == "active", Plan.employee.in_(user_ids))
             .group_by(Plan.employee))
    return {uid: (n, int(late or 0)) for uid, n, late in query.tuples()}


def open_requests(user_ids):
    query = (SupportRequest.select(SupportRequest.employee, fn.COUNT(SupportRequest.id))
             .where(SupportRequest.status == "open", SupportRequest.employee.in_(user_ids))
             .group_by(SupportRequest.employee))
    return dict(query.tuples())


def checkins_overdue(user_ids, now):
    """{user_id: when a check-in was due} for active plans with no check-in for CHECKIN_EVERY_DAYS
    and none scheduled ahead."""
    result = {}
    for uid, started, last_held, next_one in _checkins_held(user_ids, now):
        if next_one is not None:
            continue
        due = (_as_datetime(last_held) or _midday(_as_date(started))) + timedelta(days=CHECKIN_EVERY_DAYS)
        if due < now:
            result[uid] = due
    return result


def _checkins_held(user_ids, now):
    held = fn.MAX(pw.Case(None, [(CheckIn.starts_at <= now, CheckIn.starts_at)], None))
    ahead = fn.MAX(pw.Case(None, [(CheckIn.starts_at > now, CheckIn.starts_at)], None))
    return (Plan.select(Plan.employee, fn.MIN(Plan.start_date), held, ahead)
            .join(CheckIn, pw.JOIN.LEFT_OUTER,
                  # any check-in with the person counts, a recurring one (with no plan) too
                  on=((CheckIn.employee == Plan.employee) & (CheckIn.status == "scheduled")))
            .where(Plan.status == "active", Plan.employee.in_(user_ids))
            .group_by(Plan.employee).tuples())


def last_activity(user_ids, before):
    """Query: (user_id, when they last asked for support)."""
    query = (SupportRequest.select(SupportRequest.employee.alias("user_id"),
                                   fn.MAX(SupportRequest.created_at).alias("at"))
             .where(SupportRequest.created_at < before).group_by(SupportRequest.employee))
    return for_people(query, SupportRequest.employee, user_ids)


def support_table(window):
    """Support requests per month, the people asking, and the average hours to the first answer."""
    start, end, zone, months = window.start, window.end, window.zone, window.months
    month = local_month(SupportRequest.created_at, zone)
    query = (SupportRequest.select(month, SupportRequest.employee, SupportRequest.created_at,
                                   SupportRequest.answered_at)
             .where(SupportRequest.created_at >= start, SupportRequest.created_at < end))
    per_month = {}
    for key, uid, created, answered in query.tuples():
        entry = per_month.setdefault(key, {"n": 0, "people": set(), "hours": []})
        entry["n"] += 1
        entry["people"].add(uid)
        if answered:
            entry["hours"].append((answered - created).total_seconds() / 3600)
    rows = []
    for m in months:
        entry = per_month.get(month_key(m), {"n": 0, "people": set(), "hours": []})
        people = len(entry["people"])
        hours = round(sum(entry["hours"]) / len(entry["hours"]), 1) if entry["hours"] else None
        rows.append([month_label(m)] + [shown(v, people) for v in (entry["n"], people, hours)])
    return Table("support", "Support requests and time to first answer",
                 ["Month", "Requests", "People asking", "Average hours to first answer"], rows, numeric=(1, 2, 3))

