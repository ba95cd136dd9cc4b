"""Series, sessions, RSVPs and feedback.

A Series holds the rule (RFC 5545 RRULE text) and wall-clock start in its own
time zone; each occurrence is a concrete Session row in UTC. A session keeps
its `uid` for ever and counts its changes in `sequence` (calendar SEQUENCE).
"""
import peewee as pw

from learning.accounts.models import Team, User
from learning.competencies.models import Competency
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField

KINDS = ("skill", "case_review", "module")
KIND_LABELS = {"skill": "Skill session", "case_review": "Case-review meetup", "module": "Module session"}
SESSION_STATUSES = ("scheduled", "cancelled")
SEAT_STATUSES = ("going", "waitlisted", "withdrawn")
ATTENDANCE = ("attended", "no_show", "excused")


class Series(BaseModel):
    kind = LineField(max_length=20, index=True)
    title = LineField(max_length=200)
    description = ProseField(default="")
    location = LineField(max_length=200, default="")
    video_url = LineField(max_length=500, default="")
    capacity = pw.IntegerField(null=True)            # None: no limit
    duration_minutes = pw.IntegerField()
    timezone = LineField(max_length=64)
    first_start_local = pw.DateTimeField()            # wall-clock time in `timezone`
    rrule = pw.TextField(default="")                  # RRULE value without "RRULE:"; empty: one-off
    team = pw.ForeignKeyField(Team, null=True, backref="series", on_delete="SET NULL")  # None: programme-wide
    generated_until = pw.DateTimeField(null=True)     # UTC end of the expanded horizon
    active = pw.BooleanField(default=True)            # soft delete: history refers to it
    created_by = pw.ForeignKeyField(User, backref="created_series")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    def __str__(self):
        return self.title


class SeriesCompetency(BaseModel):
    series = pw.ForeignKeyField(Series, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("series", "competency"), True),)


class SeriesFacilitator(BaseModel):
    series = pw.ForeignKeyField(Series, backref="facilitator_links", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="facilitated_series", on_delete="CASCADE")

    class Meta:
        indexes = ((("series", "user"), True),)


class Session(BaseModel):
    series = pw.ForeignKeyField(Series, backref="sessions", on_delete="CASCADE")
    uid = LineField(max_length=120, unique=True)   # calendar UID, never changes
    recurrence_local = pw.DateTimeField()             # the rule's original wall-clock start: the occurrence's identity
    starts_at = pw.DateTimeField(index=True)          # UTC
    ends_at = pw.DateTimeField()                      # UTC
    timezone = LineField(max_length=64)
    location = LineField(max_length=200, default="")
    video_url = LineField(max_length=500, default="")
    facilitator = pw.ForeignKeyField(User, null=True, backref="facilitated_sessions", on_delete="SET NULL")
    capacity = pw.IntegerField(null=True)
    status = LineField(max_length=12, default="scheduled", index=True)
    rsvp_closed = pw.BooleanField(default=False)
    moved = pw.BooleanField(default=False)            # edited on its own; series edits leave it alone
    sequence = pw.IntegerField(default=0)             # calendar SEQUENCE: +1 per change of time, place or status
    changed_at = pw.DateTimeField(default=utcnow)     # calendar DTSTAMP / LAST-MODIFIED

    class Meta:
        indexes = ((("series", "recurrence_local"), True), (("series", "starts_at"), False))

    @property
    def is_cancelled(self):
        return self.status == "cancelled"


class Rsvp(BaseModel):
    """One person's place at a session: going, waitlisted or withdrawn, and their attendance."""
    session = pw.ForeignKeyField(Session, backref="rsvps", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="rsvps", on_delete="CASCADE")
    status = LineField(max_length=12, index=True)
    queue_number = pw.IntegerField()                  # arrival order within the session, as the database saw it
    walk_in = pw.BooleanField(default=False)
    attendance = LineField(max_length=10, null=True)
    attendance_recorded_at = pw.DateTimeField(null=True)
    sequence = pw.IntegerField(default=0)             # changes of this person's status (feed SEQUENCE)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("session", "user"), True), (("session", "status", "queue_number"), False),
                   (("user", "status", "session", "updated_at", "sequence"), False),  # feeds: a person's places, index only
                   (("attendance", "session", "user"), False),    # progress: attendance per session, index only
                   # progress: a person's attendance; who hasn't: their coming places (no attendance yet); index only
                   (("user", "attendance", "session", "status"), False))


class SeriesMember(BaseModel):
    """Someone with a place at every future session of a series: sessions the series gains later
    give them a place too. Leaving the series removes the row and their future places."""
    series = pw.ForeignKeyField(Series, backref="members", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="series_memberships", on_delete="CASCADE", index=True)
    added_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("series", "user"), True),)


class SessionFeedback(BaseModel):
    session = pw.ForeignKeyField(Session, backref="feedback", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="session_feedback", on_delete="CASCADE")
    rating = pw.IntegerField()
    comment = ProseField(default="")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("session", "user"), True),)


MODELS = [Series, SeriesCompetency, SeriesFacilitator, Session, Rsvp, SeriesMember, SessionFeedback]
