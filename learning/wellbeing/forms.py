"""The pulse (four 1-5 questions and an optional comment) and the admin's rhythm."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField
from wtforms.fields import DateField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from learning.forms_common import SCHEDULE_DATE, ProseAreaField
from learning.wellbeing.models import QUESTIONS
from learning.wellbeing.rounds import MAX_WEEKS

SCALE = [(n, str(n)) for n in range(1, 6)]


def _scale_field(label):
    return RadioField(label, choices=SCALE, coerce=int, validators=[InputRequired("Choose 1 to 5.")])


class PulseForm(FlaskForm):
    workload = _scale_field(QUESTIONS[0][1])
    hard_contacts = _scale_field(QUESTIONS[1][1])
    allowed_to_fix = _scale_field(QUESTIONS[2][1])
    support = _scale_field(QUESTIONS[3][1])
    comment = ProseAreaField("Anything you want to add? (optional)",
                             validators=[Optional(), Length(max=1000, message="Keep it under 1000 characters.")])
    share_comment = BooleanField("Share my comment with coaches, without my name")

    def scale_fields(self):
        return [(getattr(self, key), low, high) for key, _, low, high in QUESTIONS]


class RhythmForm(FlaskForm):
    active = SelectField("Pulse", choices=[("on", "Run the pulse"), ("off", "Pause the pulse")],
                         validators=[InputRequired()])
    every_weeks = IntegerField("Every (weeks)", default=2, validators=[
        InputRequired("Say every how many weeks."),
        NumberRange(1, MAX_WEEKS, f"Choose every 1 to {MAX_WEEKS} weeks.")])
    starts_on = DateField("First round on", validators=[InputRequired("Choose the day of the first round."),
                                                       SCHEDULE_DATE])
