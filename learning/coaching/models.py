"""Coaching: support requests, development plans (goals, actions, check-ins),
plan templates and competency ratings.

A plan belongs to one employee; who may see or change any of it is decided in
`access.py`. Ratings are append-only: each row is a point in a history.
"""
import peewee as pw

from learning.accounts.models import User
from learning.competencies.models import Competency
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField
from learning.schedule.models import Series

REQUEST_STATUSES = ("open", "answered", "accepted")
PLAN_STATUSES = ("active", "paused", "completed")
GOAL_STATUSES = ("not_started", "in_progress", "achieved", "dropped")
GOAL_LABELS = {"not_started": "Not started", "in_progress": "In progress", "achieved": "Achieved", "dropped": "Dropped"}
ACTION_KINDS = ("attend_series", "complete_module", "bring_case")
ACTION_LABELS = {"attend_series": "Attend a skill session series", "complete_module": "Complete a module",
                 "bring_case": "Bring a case to a case-review meetup"}
ACTION_STATUSES = ("open", "done", "dropped")
CHECKIN_STATUSES = ("scheduled", "cancelled")
RATING_SOURCES = ("self", "coach")


class PlanTemplate(BaseModel):
    name = LineField(max_length=120, unique=True)
    description = ProseField(default="")
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    def __str__(self):
        return self.name


class TemplateGoal(BaseModel):
    template = pw.ForeignKeyField(PlanTemplate, backref="goals", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
    what_good_looks_like = ProseField()
    target_level = pw.IntegerField()
    due_after_days = pw.IntegerField(default=90)


class TemplateAction(BaseModel):
    template = pw.ForeignKeyField(PlanTemplate, backref="actions", on_delete="CASCADE")
    kind = LineField(max_length=20)
    title = LineField(max_length=200)
    series = pw.ForeignKeyField(Series, null=True, on_delete="SET NULL")
    module_id = pw.IntegerField(null=True)


class Plan(BaseModel):
    employee = pw.ForeignKeyField(User, backref="plans", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, backref="coached_plans", on_delete="CASCADE")
    title = LineField(max_length=200)
    start_date = pw.DateField()
    review_date = pw.DateField()
    status = LineField(max_length=10, default="active")
    template = pw.ForeignKeyField(PlanTemplate, null=True, on_delete="SET NULL")
    acknowledged_at = pw.DateTimeField(null=True)
    acknowledgement_comment = ProseField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "status"), False), (("status", "review_date"), False))

    def __str__(self):
        return self.title

    @property
    def is_completed(self):
        return self.status == "completed"


class PlanCompetency(BaseModel):
    plan = pw.ForeignKeyField(Plan, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("plan", "competency"), True),)


class SupportRequest(BaseModel):
    employee = pw.ForeignKeyField(User, backref="support_requests", on_delete="CASCADE")
    description = ProseField()
    status = LineField(max_length=10, default="open")
    answer = ProseField(default="")
    answered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    answered_at = pw.DateTimeField(null=True)
    plan = pw.ForeignKeyField(Plan, null=True, backref="requests", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status", "created_at"), False), (("employee", "created_at"), False))

    @property
    def is_open(self):
        return self.status == "open"


class SupportRequestCompetency(BaseModel):
    request = pw.ForeignKeyField(SupportRequest, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("request", "competency"), True),)


class Goal(BaseModel):
    plan = pw.ForeignKeyField(Plan, backref="goals", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
    what_good_looks_like = ProseField()
    target_level = pw.IntegerField()
    due_date = pw.DateField()
    status = LineField(max_length=12, default="not_started")
    created_at = pw.DateTimeField(default=utcnow)

    @property
    def status_label(self):
        return GOAL_LABELS[self.status]


class GoalStatusChange(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="status_changes", on_delete="CASCADE")
    old_status = LineField(max_length=12, null=True)
    new_status = LineField(max_length=12)
    changed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    changed_at = pw.DateTimeField(default=utcnow)


class Action(BaseModel):
    """A step linked to the programme; its status follows what happened (see subscribers.py)."""
    plan = pw.ForeignKeyField(Plan, backref="actions", on_delete="CASCADE")
    kind = LineField(max_length=20)
    title = LineField(max_length=200)
    series = pw.ForeignKeyField(Series, null=True, on_delete="SET NULL")
    # The curriculum's Module table was not on main when this was written: a plain id.
    module_id = pw.IntegerField(null=True, index=True)
    status = LineField(max_length=10, default="open")
    completed_at = pw.DateTimeField(null=True)
    completed_by = LineField(max_length=200, default="")   # what happened, e.g. "Attended a session on ..."
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "status"), False), (("series", "status"), False))

    @property
    def kind_label(self):
        return ACTION_LABELS[self.kind]


class CheckInSeries(BaseModel):
    """Recurring check-ins of one person with one coach, at a wall-clock time in the person's zone.
    Its occurrences are CheckIn rows (each movable and cancellable on its own), made when it starts."""
    employee = pw.ForeignKeyField(User, backref="checkin_series", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, backref="coach_checkin_series", on_delete="CASCADE")
    rrule = pw.TextField()                         # RRULE value without "RRULE:" (schedule.recurrence)
    first_start_local = pw.DateTimeField()         # wall-clock time in `timezone`
    timezone = LineField(max_length=64)            # the person's zone
    duration_minutes = pw.IntegerField()
    active = pw.BooleanField(default=True)         # False once stopped: its future check-ins are cancelled
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "check_in_series"
        indexes = ((("coach", "active"), False), (("employee", "active"), False))


class CheckIn(BaseModel):
    """A one-to-one meeting; a calendar event (title and time only) in both people's feeds.
    Linked to a plan when scheduled from one, to a series when one of its occurrences."""
    plan = pw.ForeignKeyField(Plan, null=True, backref="checkins", on_delete="CASCADE")
    series = pw.ForeignKeyField(CheckInSeries, null=True, backref="checkins", on_delete="SET NULL")
    employee = pw.ForeignKeyField(User, backref="checkins", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, backref="coach_checkins", on_delete="CASCADE")
    starts_at = pw.DateTimeField()        # UTC
    ends_at = pw.DateTimeField()          # UTC
    timezone = LineField(max_length=64)  # the coach's zone when scheduled; a series' the person's
    video_url = LineField(max_length=500, default="")
    status = LineField(max_length=10, default="scheduled")
    sequence = pw.IntegerField(default=0)
    changed_at = pw.DateTimeField(default=utcnow)
    agreed_actions = ProseField(default="")
    acknowledgement = LineField(max_length=10, default="")  # "" | "agreed" | "comment"
    acknowledgement_comment = ProseField(default="")
    acknowledged_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "starts_at"), False), (("coach", "starts_at"), False),
                   (("series", "starts_at"), False))

    @property
    def title(self):
        return f"Coaching check-in: {self.employee.display_name} with {self.coach.display_name}"

    @property
    def is_cancelled(self):
        return self.status == "cancelled"


class CheckInAgendaItem(BaseModel):
    checkin = pw.ForeignKeyField(CheckIn, backref="agenda_items", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    text = LineField(max_length=500)
    created_at = pw.DateTimeField(default=utcnow)
    done_at = pw.DateTimeField(null=True)   # open items of a series carry to its next check-ins until done

    class Meta:
        table_name = "checkin_agenda_item"  # "agenda_item" is the case-review meetup agenda


class CheckInNote(BaseModel):
    """Shared notes both people see; private notes only coaches of the employee read."""
    checkin = pw.ForeignKeyField(CheckIn, backref="notes", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    private = pw.BooleanField(default=False)
    body = ProseField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("checkin", "private"), False),)


class Rating(BaseModel):
    """One point in a competency's history; never updated or deleted."""
    employee = pw.ForeignKeyField(User, backref="ratings", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
    level = pw.IntegerField()
    rated_on = pw.DateField()
    source = LineField(max_length=5)
    rater = pw.ForeignKeyField(User, on_delete="CASCADE")
    evidence = ProseField(default="")
    evidence_url = LineField(max_length=500, default="")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "competency", "rated_on"), False),)


MODELS = [SupportRequest, SupportRequestCompetency, PlanTemplate, TemplateGoal, TemplateAction, Plan,
          PlanCompetency, Goal, GoalStatusChange, Action, CheckInSeries, CheckIn, CheckInAgendaItem, CheckInNote, Rating]
