"""A plan template for a whole team at once: one plan per person, with the template's goals (and
their first status), focus competencies and actions filled in, written set-based in one
transaction. People who already hold an active or paused plan from the template keep it.

Who: coaches, for the people of the teams they coach (as `access.can_coach` lets them create one
plan at a time); each person is told of their plan and acknowledges it as usual.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from learning.accounts.models import Team, User
from learning.accounts.service import coached_team_ids, team_and_chosen_people
from learning.audit.service import record
from learning.coaching.models import Action, Goal, GoalStatusChange, Plan, PlanCompetency, TemplateAction, TemplateGoal
from learning.coaching.service import _check_dates, _text
from learning.coaching.signals import plan_assigned
from learning.curriculum.cohort_batch import members_source
from learning.db import db, utcnow
from learning.refusals import Refused

BATCH = 500


@dataclass
class Assigned:
    created: list = field(default_factory=list)   # the people given a plan, by name
    kept: list = field(default_factory=list)      # those who hold a plan from this template already


def assignable_people(coach):
    """Active people of the teams `coach` coaches (not the coach), by name, with their team."""
    return (User.select(User, Team).join(Team)
            .where(User.team.in_(coached_team_ids(coach)), User.active == True, User.id != coach.id)  # noqa: E712
            .order_by(User.display_name, User.id))


def assign_template(coach, template, title, start_date, review_date, team=None, user_ids=(), cohort=None):
    """A plan from `template` for each of a team's members, the chosen people and the members of
    `cohort` (a module cohort) in the teams `coach` coaches. Returns Assigned."""
    title = _text(title, "title", "Give the plans a title.", 200)
    _check_dates(start_date, review_date)
    people = team_and_chosen_people(assignable_people(coach), coached_team_ids(coach), team, user_ids,
                                    members_source(coach, cohort))
    goals = list(TemplateGoal.select().where(TemplateGoal.template == template).order_by(TemplateGoal.id))
    if not goals:
        raise Refused("This template has no goals yet: add one, or create plans one by one.")
    with db.atomic():
        kept = set(Plan.select(Plan.employee).where(
            Plan.template == template, Plan.status.in_(("active", "paused")),
            Plan.employee.in_([u.id for u in people])).tuples())
        result = Assigned(created=[u for u in people if (u.id,) not in kept], kept=[u for u in people if (u.id,) in kept])
        if result.created:
            plans = insert_plans(coach, template, title, start_date, review_date, result.created)
            fill_plans(coach, template, goals, plans, start_date)
            record(coach, "plan.created", template, f"{title} from {template.name} for "
                   + ", ".join(f"person #{plan.employee_id}" for plan in plans))
            for plan in plans:
                plan_assigned.send(plan)
        return result


def insert_many(model, rows):
    for offset in range(0, len(rows), BATCH):
        model.insert_many(rows[offset:offset + BATCH]).execute()


def insert_plans(coach, template, title, start_date, review_date, people):
    now = utcnow()
    insert_many(Plan, [{"employee": u.id, "coach": coach.id, "title": title, "start_date": start_date,
                        "review_date": review_date, "template": template.id, "created_at": now, "updated_at": now}
                       for u in people])
    return list(Plan.select().where(Plan.template == template, Plan.created_at == now,
                                    Plan.employee.in_([u.id for u in people])).order_by(Plan.id))


def fill_plans(coach, template, goals, plans, start_date):
    """The template's goals (each with its first status change), focus competencies and actions, for every plan."""
    now, plan_ids = utcnow(), [p.id for p in plans]
    insert_many(Goal, [{"plan": p, "competency": g.competency_id, "what_good_looks_like": g.what_good_looks_like,
                        "target_level": g.target_level, "due_date": start_date + timedelta(days=g.due_after_days),
                        "status": "not_started", "created_at": now} for p in plan_ids for g in goals])
    insert_many(GoalStatusChange, [{"goal": goal_id, "new_status": "not_started", "changed_by": coach.id, "changed_at": now}
                                   for goal_id, in Goal.select(Goal.id).where(Goal.plan.in_(plan_ids)).tuples()])
    focus = list(dict.fromkeys(g.competency_id for g in goals))
    insert_many(PlanCompetency, [{"plan": p, "competency": c} for p in plan_ids for c in focus])
    actions = list(TemplateAction.select().where(TemplateAction.template == template).order_by(TemplateAction.id))
    insert_many(Action, [{"plan": p, "kind": a.kind, "title": a.title, "series": a.series_id, "module_id": a.module_id,
                          "created_at": now} for p in plan_ids for a in actions])
