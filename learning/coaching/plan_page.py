"""What the plan page reads, in a fixed number of queries whatever the plan's size."""
from peewee import JOIN

from learning.accounts.models import User
from learning.coaching.models import Action, CheckIn, Goal, GoalStatusChange, Plan, PlanCompetency
from learning.coaching.service import checkins_with_people
from learning.competencies.models import Competency
from learning.schedule.models import Series


def plan_or_none(plan_id):
    """The plan with its employee and coach, in one query."""
    Employee, Coach = User.alias(), User.alias()
    return (Plan.select(Plan, Employee, Coach)
            .join_from(Plan, Employee, on=(Plan.employee == Employee.id), attr="employee")
            .join_from(Plan, Coach, on=(Plan.coach == Coach.id), attr="coach")
            .where(Plan.id == plan_id).first())


def plan_contents(plan):
    """Goals, each goal's status history, actions, focus competencies and check-ins."""
    history = {}
    for change in (GoalStatusChange.select().join(Goal).where(Goal.plan == plan.id)
                   .order_by(GoalStatusChange.changed_at, GoalStatusChange.id)):
        history.setdefault(change.goal_id, []).append(change)
    goals = Goal.select(Goal, Competency).join(Competency).where(Goal.plan == plan.id).order_by(Goal.due_date, Goal.id)
    actions = (Action.select(Action, Series).join(Series, JOIN.LEFT_OUTER)
               .where(Action.plan == plan.id).order_by(Action.created_at, Action.id))
    focus = Competency.select().join(PlanCompetency).where(PlanCompetency.plan == plan.id).order_by(Competency.name)
    checkins = checkins_with_people(CheckIn.select(CheckIn).where(CheckIn.plan == plan.id)).order_by(CheckIn.starts_at)
    return {"goals": list(goals), "history": history, "actions": list(actions),
            "focus": list(focus), "checkins": list(checkins)}
