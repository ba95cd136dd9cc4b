"""Coaching rules: support requests, plans, goals, actions and plan templates.

Every function checks who may act (through `access`) and refuses bad input with a
Refused naming the form field, before anything is written.
"""
import re
from datetime import timedelta

import peewee as pw

from learning.audit.service import record
from learning.accounts.models import User
from learning.coaching import access
from learning.coaching.models import (
    ACTION_KINDS, ACTION_STATUSES, GOAL_STATUSES, PLAN_STATUSES, Action, CheckIn, Goal, GoalStatusChange, Plan,
    PlanCompetency, PlanTemplate, SupportRequest, SupportRequestCompetency, TemplateAction, TemplateGoal,
)
from learning.coaching.signals import plan_acknowledged, plan_assigned, request_answered
from learning.competencies.models import Competency, CompetencyLevel
from learning.curriculum import service as curriculum
from learning.curriculum.models import Cohort, Module
from learning.db import db, for_update, utcnow
from learning.refusals import NotFound, Refused
from learning.schedule.models import Series


def _require(allowed):
    if not allowed:
        raise NotFound("Not found.")


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value):
    """Text as stored: trimmed, without control characters (PostgreSQL refuses NUL)."""
    return CONTROL.sub("", value or "").strip()


def _text(value, field, message, max_length=2000):
    value = clean(value)
    if not value:
        raise Refused(message, field)
    if len(value) > max_length:
        raise Refused(f"Keep this under {max_length} characters.", field)
    return value


def _competency_ids(ids, field="competencies"):
    ids = list(dict.fromkeys(int(i) for i in ids or ()))
    if not ids:
        raise Refused("Choose at least one competency.", field)
    if Competency.select().where(Competency.id.in_(ids)).count() != len(ids):
        raise Refused("Choose competencies from the list.", field)
    return ids


def _check_level(competency_id, level, field="target_level"):
    if level is None or not 1 <= int(level) <= 5:
        raise Refused("Choose a level from 1 to 5.", field)
    if not CompetencyLevel.select().where(CompetencyLevel.competency == competency_id,
                                          CompetencyLevel.level == level).exists():
        raise Refused("This competency has no descriptor for that level.", field)


def _editable(plan):
    if plan.is_completed:
        raise Refused("This plan is completed. Reopen it before changing it.", "plan")


# --- support requests --------------------------------------------------------

@db.atomic()
def ask_for_support(employee, competency_ids, description):
    ids = _competency_ids(competency_ids)
    description = _text(description, "description", "Say in a few words what is hard.", 1000)
    if employee.team_id is None:
        raise Refused("You are not in a team yet, so no coach can answer. Ask an admin.", "description")
    request = SupportRequest.create(employee=employee, description=description)
    SupportRequestCompetency.insert_many([{"request": request.id, "competency": i} for i in ids]).execute()
    return request


def _lock_open_request(request):
    request = for_update(SupportRequest.select().where(SupportRequest.id == request.id)).get()
    if not request.is_open:
        raise Refused("This request has already been answered.", "answer")
    return request


@db.atomic()
def answer_request(coach, request, message):
    _require(access.can_coach(coach, request.employee))
    message = _text(message, "answer", "Write your answer.", 2000)
    request = _lock_open_request(request)
    request.status, request.answer = "answered", message
    request.answered_by, request.answered_at = coach, utcnow()
    request.save()
    request_answered.send(request)
    return request


@db.atomic()
def accept_into_plan(coach, request, plan, message=""):
    """Accept a request by adding its competencies to the employee's existing plan."""
    _require(access.can_coach(coach, request.employee) and plan.employee_id == request.employee_id)
    _editable(plan)
    request = _lock_open_request(request)
    _add_focus(plan, request_competency_ids(request))
    request.status, request.plan, request.answer = "accepted", plan, clean(message)
    request.answered_by, request.answered_at = coach, utcnow()
    request.save()
    request_answered.send(request)
    return request


def request_competency_ids(request):
    return [link.competency_id for link in
            SupportRequestCompetency.select().where(SupportRequestCompetency.request == request)]


# --- plans -------------------------------------------------------------------

def _check_dates(start_date, review_date):
    if start_date is None:
        raise Refused("Enter the start date.", "start_date")
    if review_date is None or review_date < start_date:
        raise Refused("The review date cannot be before the start date.", "review_date")


def _add_focus(plan, competency_ids):
    have = {link.competency_id for link in PlanCompetency.select().where(PlanCompetency.plan == plan)}
    rows = [{"plan": plan.id, "competency": i} for i in competency_ids if i not in have]
    if rows:
        PlanCompetency.insert_many(rows).execute()


@db.atomic()
def create_plan(coach, employee, title, competency_ids, start_date, review_date, template=None, request=None):
    if not access.can_coach(coach, employee):
        raise Refused("You can only create plans for people in the teams you coach.", "employee")
    title = _text(title, "title", "Give the plan a title.", 200)
    ids = _competency_ids(competency_ids)
    _check_dates(start_date, review_date)
    plan = Plan.create(employee=employee, coach=coach, title=title, start_date=start_date,
                       review_date=review_date, template=template)
    _add_focus(plan, ids)
    if template is not None:
        _copy_template(plan, template)
    if request is not None:
        if request.employee_id != employee.id:
            raise Refused("That request is from someone else.", "employee")
        accept_into_plan(coach, request, plan)
    record(coach, "plan.created", plan, f"{plan.title} for {employee.display_name}")
    plan_assigned.send(plan)
    return plan


def template_competency_ids(template):
    """The competencies a template's goals work on, in the order of the goals."""
    goals = TemplateGoal.select(TemplateGoal.competency).where(TemplateGoal.template == template).order_by(TemplateGoal.id)
    return list(dict.fromkeys(goal.competency_id for goal in goals))


def _copy_template(plan, template):
    goals = list(TemplateGoal.select().where(TemplateGoal.template == template))
    for item in goals:
        goal = Goal.create(plan=plan, competency=item.competency_id, what_good_looks_like=item.what_good_looks_like,
                           target_level=item.target_level,
                           due_date=plan.start_date + timedelta(days=item.due_after_days))
        GoalStatusChange.create(goal=goal, new_status=goal.status, changed_by=plan.coach)
    _add_focus(plan, [g.competency_id for g in goals])
    rows = [{"plan": plan.id, "kind": a.kind, "title": a.title, "series": a.series_id, "module_id": a.module_id}
            for a in TemplateAction.select().where(TemplateAction.template == template)]
    if rows:
        Action.insert_many(rows).execute()


@db.atomic()
def update_plan(user, plan, title, competency_ids, start_date, review_date):
    _require(access.can_manage_plan(user, plan))
    _editable(plan)
    title = _text(title, "title", "Give the plan a title.", 200)
    ids = _competency_ids(competency_ids)
    _check_dates(start_date, review_date)
    if Goal.select().where(Goal.plan == plan, Goal.due_date < start_date).exists():
        raise Refused("A goal is due before this start date; change the goal first.", "start_date")
    plan.title, plan.start_date, plan.review_date, plan.updated_at = title, start_date, review_date, utcnow()
    plan.save()
    record(user, "plan.changed", plan, f"{plan.title}: dates {start_date} to {review_date}")
    PlanCompetency.delete().where(PlanCompetency.plan == plan, PlanCompetency.competency.not_in(ids)).execute()
    _add_focus(plan, ids)
    return plan


@db.atomic()
def set_plan_status(user, plan, status):
    """Pause, complete, or reopen (any status back to active)."""
    _require(access.can_manage_plan(user, plan))
    if status not in PLAN_STATUSES:
        raise Refused("Choose active, paused or completed.", "status")
    record(user, "plan.status-changed", plan, f"{plan.title}: {plan.status} → {status}")
    plan.status, plan.updated_at = status, utcnow()
    plan.save()
    return plan


@db.atomic()
def acknowledge_plan(employee, plan, comment=""):
    _require(employee.id == plan.employee_id)
    if len(comment or "") > 2000:
        raise Refused("Keep this under 2000 characters.", "comment")
    plan.acknowledged_at, plan.acknowledgement_comment = utcnow(), clean(comment)
    plan.save()
    plan_acknowledged.send(plan)
    return plan


def plans_of(employee):
    return list(Plan.select().where(Plan.employee == employee).order_by(Plan.status, Plan.start_date.desc()))


# --- goals -------------------------------------------------------------------

@db.atomic()
def add_goal(user, plan, competency_id, what_good_looks_like, target_level, due_date):
    _require(access.can_manage_plan(user, plan))
    _editable(plan)
    if not Competency.select().where(Competency.id == competency_id).exists():
        raise Refused("Choose a competency from the list.", "competency")
    what = _text(what_good_looks_like, "what_good_looks_like", "Describe what good looks like.", 2000)
    _check_level(competency_id, target_level)
    if due_date is None or due_date < plan.start_date:
        raise Refused("The due date cannot be before the plan starts.", "due_date")
    goal = Goal.create(plan=plan, competency=competency_id, what_good_looks_like=what,
                       target_level=target_level, due_date=due_date)
    GoalStatusChange.create(goal=goal, new_status=goal.status, changed_by=user)
    return goal


@db.atomic()
def set_goal_status(user, goal, status):
    _require(access.can_manage_plan(user, goal.plan))
    _editable(goal.plan)
    if status not in GOAL_STATUSES:
        raise Refused("Choose a status from the list.", "status")
    if status != goal.status:
        GoalStatusChange.create(goal=goal, old_status=goal.status, new_status=status, changed_by=user)
        goal.status = status
        goal.save()
    return goal


# --- actions -----------------------------------------------------------------

def _check_action_target(kind, series_id, module_id):
    if kind not in ACTION_KINDS:
        raise Refused("Choose what the action is.", "kind")
    if kind == "attend_series":
        if not series_id or not Series.select().where(Series.id == series_id, Series.active == True).exists():  # noqa: E712
            raise Refused("Choose a session series.", "series")
        return series_id, None
    if kind == "complete_module":
        if not module_id or module_id < 1 or not _module_exists(module_id):
            raise Refused("Choose a module.", "module_id")
        return None, module_id
    return None, None


def _module_exists(module_id):
    """Actions keep a plain module id; it must name a module."""
    return Module.select().where(Module.id == module_id).exists()


def module_titles(module_ids):
    """{module id: title} for actions' modules, in one query."""
    if not module_ids:
        return {}
    return {m.id: m.title for m in Module.select(Module.id, Module.title).where(Module.id.in_(module_ids))}


@db.atomic()
def add_action(user, plan, kind, title, series_id=None, module_id=None, cohort_id=None, override_note=""):
    """Add an action; a "complete a module" action with a cohort also enrols the employee there,
    through the modules' own rule (prerequisites first, unless the coach overrides with a note)."""
    _require(access.can_manage_plan(user, plan))
    _editable(plan)
    series_id, module_id = _check_action_target(kind, series_id, module_id)
    title = _text(title, "title", "Give the action a title.", 200)
    if kind == "complete_module" and cohort_id:
        _enrol_for_action(user, plan.employee, module_id, cohort_id, clean(override_note or ""))
    return Action.create(plan=plan, kind=kind, title=title, series=series_id, module_id=module_id)


def _enrol_for_action(coach, employee, module_id, cohort_id, override_note):
    cohort = Cohort.get_or_none(Cohort.id == cohort_id, Cohort.module == module_id)
    if cohort is None:
        raise Refused("Choose a cohort of the chosen module.", "cohort_id")
    try:
        curriculum.enrol(cohort, employee, by=coach, override_note=override_note or None)
    except Refused as error:
        missing_prerequisite = error.missing is not None and not override_note
        hint = " You may enrol them anyway with an override note." if missing_prerequisite else ""
        raise Refused(f"{error}{hint}", "cohort_id")


@db.atomic()
def set_action_status(user, action, status):
    _require(access.can_manage_plan(user, action.plan))
    _editable(action.plan)
    if status not in ACTION_STATUSES:
        raise Refused("Choose a status from the list.", "status")
    action.status = status
    action.completed_at = utcnow() if status == "done" else None
    action.completed_by = "Marked done by the coach" if status == "done" else ""
    action.save()
    return action


# --- plan templates ----------------------------------------------------------

@db.atomic()
def save_template(user, template, name, description=""):
    _require(access.can_manage_templates(user))
    name = _text(name, "name", "Give the template a name.", 120)
    clash = PlanTemplate.get_or_none(PlanTemplate.name == name)
    if clash and (template is None or clash.id != template.id):
        raise Refused("A template with this name already exists.", "name")
    template = template or PlanTemplate(created_by=user)
    template.name, template.description = name, clean(description)
    template.save()
    return template


@db.atomic()
def add_template_goal(user, template, competency_id, what_good_looks_like, target_level, due_after_days):
    _require(access.can_manage_templates(user))
    if not Competency.select().where(Competency.id == competency_id).exists():
        raise Refused("Choose a competency from the list.", "competency")
    what = _text(what_good_looks_like, "what_good_looks_like", "Describe what good looks like.", 2000)
    _check_level(competency_id, target_level)
    if due_after_days is None or not 1 <= due_after_days <= 730:
        raise Refused("Use a number of days from 1 to 730.", "due_after_days")
    return TemplateGoal.create(template=template, competency=competency_id, what_good_looks_like=what,
                               target_level=target_level, due_after_days=due_after_days)


@db.atomic()
def add_template_action(user, template, kind, title, series_id=None, module_id=None):
    _require(access.can_manage_templates(user))
    series_id, module_id = _check_action_target(kind, series_id, module_id)
    title = _text(title, "title", "Give the action a title.", 200)
    return TemplateAction.create(template=template, kind=kind, title=title, series=series_id, module_id=module_id)


@db.atomic()
def remove_template_item(user, item):
    _require(access.can_manage_templates(user))
    item.delete_instance()


def overdue_plans(today):
    """Active plans with something past its date: a goal due before `today` that is neither
    achieved nor dropped, or an open action once the plan's review date has passed. EXISTS per
    plan, through goal(plan) and action(plan): `id IN (every late goal's plan)` hashed the
    organisation's late goals for a team's 50 people (4,304 goals, 12 ms at scale 1)."""
    late_goals = Goal.select(Goal.id).where(Goal.plan == Plan.id, Goal.due_date < today,
                                            Goal.status.in_(("not_started", "in_progress")))
    open_actions = Action.select(Action.id).where(Action.plan == Plan.id, Action.status == "open")
    return Plan.select(Plan.id).where(Plan.status == "active", pw.fn.EXISTS(late_goals)
                                      | ((Plan.review_date < today) & pw.fn.EXISTS(open_actions)))


def filter_plans(query, status=None, overdue=False, person=None, competency_id=None, today=None):
    """Narrow a plans query (e.g. `access.visible_plans`) by status, overdue items, a part of the
    person's name and a focus competency."""
    if status:
        query = query.where(Plan.status == status)
    if overdue:
        query = query.where(Plan.id.in_(overdue_plans(today or utcnow().date())))
    person = clean(person)
    if person:
        query = query.where(Plan.employee.in_(User.select(User.id).where(User.display_name.contains(person))))
    if competency_id:
        query = query.where(Plan.id.in_(PlanCompetency.select(PlanCompetency.plan)
                                        .where(PlanCompetency.competency == competency_id)))
    return query


def coachable_people(coach):
    """People in the teams `coach` coaches (not the coach), by name."""
    return list(User.select().where(User.id.in_(access.coached_member_ids(coach)), User.id != coach.id,
                                    User.active == True).order_by(User.display_name))  # noqa: E712


# --- calendar feeds ------------------------------------------------------------

def checkins_with_people(query):
    """Check-ins with `employee` and `coach` (their ids and names: what pages and feeds show)
    loaded in the same query."""
    Employee, Coach = User.alias(), User.alias()
    return (query.select_extend(Employee.id, Employee.display_name, Coach.id, Coach.display_name)
            .join_from(CheckIn, Employee, on=(CheckIn.employee == Employee.id), attr="employee")
            .join_from(CheckIn, Coach, on=(CheckIn.coach == Coach.id), attr="coach"))


def _feed_checkins(user_id, start, end, *columns):
    """Check-ins (cancelled ones too, for calendar STATUS) overlapping [start, end) UTC where
    the person is the employee or the coach."""
    return CheckIn.select(*columns).where((CheckIn.employee == user_id) | (CheckIn.coach == user_id),
                                          CheckIn.starts_at < end, CheckIn.ends_at > start)


def checkins_for_feed(user, start, end):
    """A person's check-ins in a feed's window, with both people loaded. Feeds show title and time only."""
    return list(checkins_with_people(_feed_checkins(user.id, start, end, CheckIn)).order_by(CheckIn.starts_at))


def checkin_stamps_for_feed(user_id, start, end):
    """The query of what those check-ins' events depend on, a row each: id, sequence, change
    stamp, status and both people's names (the event's title names them)."""
    Employee, Coach = User.alias(), User.alias()
    return (_feed_checkins(user_id, start, end, CheckIn.id, CheckIn.sequence, CheckIn.changed_at, CheckIn.status,
                           Employee.display_name, Coach.display_name)
            .join_from(CheckIn, Employee, on=(CheckIn.employee == Employee.id))
            .join_from(CheckIn, Coach, on=(CheckIn.coach == Coach.id))
            .order_by(CheckIn.starts_at, CheckIn.id))
