"""The wellbeing pulse and people staying: the rhythm an admin sets (each change starts on a
later day, so rounds already under way never move), one answer per person and round (the team
kept as it was when they answered), and each departure with the team the person left."""
import peewee as pw

from learning.accounts.models import Team, User
from learning.db import BaseModel, utcnow
from learning.plain_text import ProseField

QUESTIONS = (
    ("workload", "Workload and time pressure these weeks", "Far too much", "Manageable"),
    ("hard_contacts", "The weight of hard contacts", "Very heavy", "Light"),
    ("allowed_to_fix", "Were you allowed to actually fix customers' problems?", "Rarely", "Almost always"),
    ("support", "Did you feel supported?", "Not at all", "Fully"),
)
QUESTION_KEYS = tuple(key for key, *_ in QUESTIONS)
LOW_ANSWER = 2   # an answer this low or lower quietly offers support to the person who gave it


class PulseRhythm(BaseModel):
    """From `starts_on` (programme dates) a round opens every `every_weeks` weeks, or, when
    not `active`, no pulse runs. The rhythm in force on a day is the latest started one."""
    starts_on = pw.DateField(unique=True)
    every_weeks = pw.SmallIntegerField(default=2)
    active = pw.BooleanField(default=True)
    set_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    set_at = pw.DateTimeField(default=utcnow)


class PulseAnswer(BaseModel):
    user = pw.ForeignKeyField(User, backref="pulse_answers", on_delete="CASCADE")
    team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")   # as it was when answered
    round_on = pw.DateField()
    workload = pw.SmallIntegerField()
    hard_contacts = pw.SmallIntegerField()
    allowed_to_fix = pw.SmallIntegerField()
    support = pw.SmallIntegerField()
    comment = ProseField(default="")
    share_comment = pw.BooleanField(default=False)
    answered_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "round_on"), True), (("round_on", "team"), False))

    @property
    def values(self):
        return [getattr(self, key) for key in QUESTION_KEYS]

    @property
    def is_low(self):
        return min(self.values) <= LOW_ANSWER


class PulseTally(BaseModel):
    """Each round's answers per team, counted as they come in (people and the sum per question),
    so that team and programme figures read a few rows per round, never every answer. `team_key`
    is the team's id as it was when answered, 0 for people in no team."""
    round_on = pw.DateField()
    team_key = pw.IntegerField()
    people = pw.IntegerField(default=0)
    workload = pw.IntegerField(default=0)
    hard_contacts = pw.IntegerField(default=0)
    allowed_to_fix = pw.IntegerField(default=0)
    support = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("round_on", "team_key"), True),)


class PulseRoundTotal(BaseModel):
    """A closed round's programme figures and the outcome of the small-group rule, written once
    after the round has closed (aggregates.close_rounds, from `flask progress rebuild`): a closed
    round takes no more answers, so its totals never change. A team's page reads one row per
    round here instead of adding up every team's tally (1,000 rows per round at scale 10).
    `also_hidden` is the team key hidden by the rule against subtraction, if any."""
    round_on = pw.DateField(unique=True)
    people = pw.IntegerField()
    workload = pw.IntegerField()
    hard_contacts = pw.IntegerField()
    allowed_to_fix = pw.IntegerField()
    support = pw.IntegerField()
    also_hidden = pw.IntegerField(null=True)


class Departure(BaseModel):
    """A person who left (deactivated), on the programme day they left, from the team they were in."""
    user = pw.ForeignKeyField(User, backref="departures", on_delete="CASCADE")
    team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
    left_on = pw.DateField()

    class Meta:
        indexes = ((("team", "left_on"), False), (("user", "left_on"), False))


MODELS = [PulseRhythm, PulseAnswer, PulseTally, PulseRoundTotal, Departure]
