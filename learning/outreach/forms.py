"""Forms for announcements, "who hasn't" questions and nudges; the services re-check every rule."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learning.forms_common import SCHEDULE_DATE, ProseAreaField, db_int
from learning.outreach.service import SHORT
from learning.outreach.who_hasnt import CRITERIA, module_choices, series_choices


class AnnouncementForm(FlaskForm):
    body = ProseAreaField("Message", validators=[DataRequired("Write the message."), Length(
        max=SHORT, message=f"Keep it under {SHORT} characters: link to anything longer.")])
    until = DateField("Pinned until (last day)", validators=[InputRequired("Enter the date as YYYY-MM-DD."), SCHEDULE_DATE])
    email = BooleanField("Also send it by e-mail (to those who take e-mail for coaching notices)")


class Question(FlaskForm):
    """Which members to list: what they have not done, and the series, module or weeks it is about."""
    criterion = RadioField("Who hasn't", choices=list(CRITERIA.items()), default="series",
                           validators=[InputRequired("Choose what to look for.")])
    series = SelectField("Series", coerce=db_int, default=0, validators=[Optional()])
    module = SelectField("Module", coerce=db_int, default=0, validators=[Optional()])
    weeks = IntegerField("Weeks", default=4, validators=[Optional(), NumberRange(1, 52, "Use 1 to 52 weeks.")])

    def fill_choices(self, team):
        self.series.choices = [(0, "—")] + [(s.id, s.title) for s in series_choices(team)]
        self.module.choices = [(0, "—")] + [(m.id, m.title) for m in module_choices()]


class QuestionForm(Question):
    """The question read from the query string (a GET changes nothing: no CSRF token)."""
    class Meta:
        csrf = False


class NudgeForm(Question):
    """The same question, posted with the nudge's optional words."""

    message = ProseAreaField("Add a few words (optional)", validators=[Optional(), Length(max=500)])
    email = BooleanField("Also send it by e-mail (to those who take e-mail for coaching notices)")
