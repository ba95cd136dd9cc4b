"""What the plan page reads, in a fixed number of queries whose SQL is written once
(every view of a plan runs them; see learning.db.CompiledSelect)."""
from peewee import JOIN

from learning.accounts.models import User
from learning.coaching.models import Action, CheckIn, Goal, GoalStatusChange, Plan, PlanCompetency
from learning.coaching.service import checkins_with_people
from learning.competencies.models import Competency
from learning.db import CompiledSelect
from learning.schedule.models import Series


def _plan_with_people(plan_id):
    Employee, Coach = User.alias(), User.alias()
    return (Plan.select(Plan, Employee, Coach)
            .join_from(Plan, Employee, on=(Plan.employee == Employee.id), attr="employee")
            .join_from(Plan, Coach, on=(Plan.coach == Coach.id), attr="coach")
            .where(Plan.id == plan_id))


_PLAN = CompiledSelect(_plan_with_people)
_GOALS = CompiledSelect(lambda plan_id: Goal.select(Goal, Competency).join(Competency)
                        .where(Goal.plan == plan_id).order_by(Goal.due_date, Goal.id))
_HISTORY = CompiledSelect(lambda plan_id: GoalStatusChange.select().join(Goal)
                          .where(Goal.plan == plan_id).order_by(GoalStatusChange.changed_at, GoalStatusChange.id))
_ACTIONS = CompiledSelect(lambda plan_id: Action.select(Action, Series).join(Series, JOIN.LEFT_OUTER)
                          .where(Action.plan == plan_id).order_by(Action.created_at, Action.id))
_FOCUS = CompiledSelect(lambda plan_id: Competency.select().join(PlanCompetency)
                        .where(PlanCompetency.plan == plan_id).order_by(Competency.name))
_CHECKINS = CompiledSelect(lambda plan_id: checkins_with_people(CheckIn.select(CheckIn).where(CheckIn.plan == plan_id))
                           .order_by(CheckIn.starts_at))


def plan_or_none(plan_id):
    """The plan with its employee and coach, in one query."""
    return _PLAN.first(plan_id)


def plan_contents(plan):
    """Goals, each goal's status history, actions, focus competencies and check-ins."""
    history = {}
    for change in _HISTORY(plan.id):
        history.setdefault(change.goal_id, []).append(change)
    return {"goals": list(_GOALS(plan.id)), "history": history, "actions": list(_ACTIONS(plan.id)),
            "focus": list(_FOCUS(plan.id)), "checkins": list(_CHECKINS(plan.id))}
