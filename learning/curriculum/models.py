"""Advanced modules: units, prerequisites, cohorts, enrolments, unit progress and completions.

A Cohort runs a Module; its sessions are a Series of kind "module" in the
programme schedule. Enrolment rows are places in the shared seat mechanism
(learning.schedule.seats): they carry the fields that module names. Unit
progress belongs to the person, not the enrolment, so it survives leaving
one cohort and joining a later one. A Completion is kept for ever; with a
module validity it expires, and a new completion refreshes it.
"""
import peewee as pw

from learning.accounts.models import User
from learning.competencies.models import Competency
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField
from learning.schedule.models import Series, Session

MODULE_STATUSES = ("draft", "published")
COMPLETION_METHODS = ("rule", "coach")


class Module(BaseModel):
    title = LineField(max_length=200, unique=True)
    summary = ProseField(default="")
    area = LineField(max_length=80, index=True)
    estimated_hours = pw.IntegerField(default=1)
    validity_months = pw.IntegerField(null=True)      # None: a completion never expires
    status = LineField(max_length=12, default="draft", index=True)
    created_by = pw.ForeignKeyField(User, backref="authored_modules")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    published_at = pw.DateTimeField(null=True)

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == "published"


class ModuleCompetency(BaseModel):
    module = pw.ForeignKeyField(Module, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("module", "competency"), True),)


class Prerequisite(BaseModel):
    """`module` may be taken once `requires` is completed (and not expired)."""
    module = pw.ForeignKeyField(Module, backref="prerequisite_links", on_delete="CASCADE")
    requires = pw.ForeignKeyField(Module, backref="dependant_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("module", "requires"), True),)


class Unit(BaseModel):
    module = pw.ForeignKeyField(Module, backref="units", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    title = LineField(max_length=200)
    material = ProseField(default="")               # Markdown, rendered sanitised
    session = pw.ForeignKeyField(Session, null=True, backref="module_units", on_delete="SET NULL")
    exercise = LineField(max_length=500, default="")  # an exercise to do: text or a link

    class Meta:
        indexes = ((("module", "position"), False),)


class Cohort(BaseModel):
    module = pw.ForeignKeyField(Module, backref="cohorts", on_delete="CASCADE")
    title = LineField(max_length=200)
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    capacity = pw.IntegerField(null=True)             # None: no limit
    series = pw.ForeignKeyField(Series, null=True, backref="cohorts", on_delete="SET NULL")
    created_by = pw.ForeignKeyField(User, backref="created_cohorts")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("module", "starts_on"), False),)

    def __str__(self):
        return self.title


class Enrolment(BaseModel):
    """A place in a cohort (the seat mechanism's fields), who made it and any prerequisite override."""
    cohort = pw.ForeignKeyField(Cohort, backref="enrolments", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="enrolments", on_delete="CASCADE")
    status = LineField(max_length=12, index=True)  # going / waitlisted / withdrawn
    queue_number = pw.IntegerField()
    sequence = pw.IntegerField(default=0)
    enrolled_by = pw.ForeignKeyField(User, null=True, backref="enrolments_made", on_delete="SET NULL")
    override_note = ProseField(default="")          # a coach's reason for waiving a prerequisite
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("cohort", "user"), True), (("user", "status"), False),
                   (("cohort", "status", "queue_number"), False))


class UnitProgress(BaseModel):
    unit = pw.ForeignKeyField(Unit, backref="progress", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="unit_progress", on_delete="CASCADE")
    done_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "unit"), True),)


class Completion(BaseModel):
    module = pw.ForeignKeyField(Module, backref="completions", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="module_completions", on_delete="CASCADE")
    cohort = pw.ForeignKeyField(Cohort, null=True, backref="completions", on_delete="SET NULL")
    completed_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField(null=True, index=True)
    method = LineField(max_length=10)              # rule / coach
    note = ProseField(default="")
    recorded_by = pw.ForeignKeyField(User, null=True, backref="completions_recorded", on_delete="SET NULL")

    class Meta:
        indexes = ((("user", "module", "completed_at"), False),)


MODELS = [Module, ModuleCompetency, Prerequisite, Unit, Cohort, Enrolment, UnitProgress, Completion]
