"""Cases, their votes, meetup agendas, discussion, takeaways and debrief prompts.

A case moves draft -> submitted (queued) -> scheduled (on a meetup's agenda)
-> discussed (takeaways recorded: it is in the library); the author may
withdraw it until it is discussed. Only a draft holds text as the author typed
it; from submission on, every text field holds redacted text only.
"""
import peewee as pw

from learning.accounts.models import Team, User
from learning.competencies.models import Competency
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField
from learning.schedule.models import Session

CHANNELS = (("phone", "Phone"), ("email", "E-mail"), ("chat", "Chat"), ("social", "Social media"),
            ("in_person", "In person"))
CHANNEL_LABELS = dict(CHANNELS)
STATUSES = ("draft", "submitted", "scheduled", "discussed", "withdrawn")
STATUS_LABELS = {"draft": "Draft", "submitted": "In the queue", "scheduled": "On an agenda",
                 "discussed": "Discussed", "withdrawn": "Withdrawn"}
OPEN_STATUSES = ("draft", "submitted", "scheduled")   # the author may still edit or withdraw
TEXT_FIELDS = ("title", "customer_need", "actions", "outcome", "ask")
HEAVY = 4                                              # heaviness from which the coach is prompted
AVOIDABLE_LABELS = {None: "Not decided", True: "Avoidable", False: "Not avoidable"}


class Cause(BaseModel):
    """A root cause a case can be tagged with; admins edit the list, retire rather than delete."""
    name = LineField(max_length=80, unique=True)
    description = LineField(max_length=300, default="")
    position = pw.IntegerField()
    retired = pw.BooleanField(default=False)

    class Meta:
        indexes = ((("retired", "position"), False),)

    def __str__(self):
        return self.name


class Case(BaseModel):
    author = pw.ForeignKeyField(User, backref="cases", on_delete="CASCADE")
    team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")   # author's team when submitted: its queue
    title = LineField(max_length=200)
    channel = LineField(max_length=20)
    customer_need = ProseField(default="")   # what the customer needed and how they felt
    actions = ProseField(default="")         # what I did and said
    outcome = ProseField(default="")
    ask = ProseField(default="")             # what I want the group's input on
    heaviness = pw.IntegerField(null=True)     # 1-5, optional
    anonymous = pw.BooleanField(default=False)  # "share without my name"
    status = LineField(max_length=12, default="draft")
    # Before scheduling: the meetup the author asked for (optional);
    # from scheduling on: the meetup whose agenda holds the case.
    meetup = pw.ForeignKeyField(Session, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    submitted_at = pw.DateTimeField(null=True)
    discussed_at = pw.DateTimeField(null=True)
    cause = pw.ForeignKeyField(Cause, null=True, on_delete="SET NULL")   # its root cause, when tagged
    avoidable = pw.BooleanField(null=True)                                 # None: not decided

    class Meta:
        indexes = ((("status", "team", "submitted_at"), False), (("cause", "status", "discussed_at"), False),
                   (("submitted_at", "cause", "avoidable", "status"), False), (("author", "status"), False),
                   (("status", "discussed_at"), False), (("channel", "status"), False),
                   (("submitted_at", "id", "status"), False))   # the queue walks it newest first

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def channel_label(self):
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def avoidable_label(self):
        return AVOIDABLE_LABELS[self.avoidable]


class CaseCompetency(BaseModel):
    case = pw.ForeignKeyField(Case, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("case", "competency"), True), (("competency",), False))


class Vote(BaseModel):
    """One upvote per person per case (the unique index is the guard)."""
    case = pw.ForeignKeyField(Case, backref="votes", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("case", "user"), True),)


class MeetupSettings(BaseModel):
    """What a case-review meetup decides about itself."""
    session = pw.ForeignKeyField(Session, unique=True, on_delete="CASCADE")
    discussion_private = pw.BooleanField(default=False)


class AgendaItem(BaseModel):
    session = pw.ForeignKeyField(Session, backref="agenda_items", on_delete="CASCADE")
    case = pw.ForeignKeyField(Case, backref="agenda_items", on_delete="CASCADE")
    position = pw.IntegerField()
    minutes = pw.IntegerField()                 # time box
    outcome = LineField(max_length=14, default="planned")   # planned | discussed | carried_over
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "case_agenda_item"   # coaching's check-in agendas own "agenda_item"
        indexes = ((("session", "case"), True), (("session", "position"), False), (("case", "outcome"), False))


class Comment(BaseModel):
    case = pw.ForeignKeyField(Case, backref="comments", on_delete="CASCADE")
    session = pw.ForeignKeyField(Session, on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    body = ProseField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("case", "created_at"), False),)


class Takeaway(BaseModel):
    case = pw.ForeignKeyField(Case, unique=True, backref="takeaways", on_delete="CASCADE")
    session = pw.ForeignKeyField(Session, on_delete="CASCADE")
    what_worked = ProseField()
    do_differently = ProseField()
    principle = LineField(max_length=300)   # the principle or boundary it illustrates
    recorded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class TakeawayCompetency(BaseModel):
    takeaway = pw.ForeignKeyField(Takeaway, backref="competency_links", on_delete="CASCADE")
    competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

    class Meta:
        indexes = ((("takeaway", "competency"), True), (("competency",), False))


class DebriefPrompt(BaseModel):
    """A heavy case's prompt to the author's team coaches: open -> offered -> answered."""
    case = pw.ForeignKeyField(Case, unique=True, on_delete="CASCADE")
    team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
    status = LineField(max_length=10, default="open")
    handled_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "status"), False),)


MODELS = [Cause, Case, CaseCompetency, Vote, MeetupSettings, AgendaItem, Comment, Takeaway, TakeawayCompetency,
          DebriefPrompt]
