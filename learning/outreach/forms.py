"""Forms for announcements, "who hasn't" questions and nudges; the services re-check every rule."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learning.forms_common import SCHEDULE_DATE, ProseAreaField, SingleLineField, db_int
from learning.outreach.service import SHORT
from learning.outreach.who_hasnt import CRITERIA, find_series, module_choices, series_in_play, series_open_to
from learning.schedule.models import Series


class AnnouncementForm(FlaskForm):
    body = ProseAreaField("Message", validators=[DataRequired("Write the message."), Length(
        max=SHORT, message=f"Keep it under {SHORT} characters: link to anything longer.")])
    until = DateField("Pinned until (last day)", validators=[InputRequired("Enter the date as YYYY-MM-DD."), SCHEDULE_DATE])
    email = BooleanField("Also send it by e-mail (to those who take e-mail for coaching notices)")


class Question(FlaskForm):
    """Which members to list: what they have not done, and the series, module or weeks it is about.
    The series is any one open to the team, by id: `who_hasnt.ask` checks it against that rule, so
    the series select takes what it is sent and the picker only decides what it offers."""
    criterion = RadioField("Who hasn't", choices=list(CRITERIA.items()), default="series",
                           validators=[InputRequired("Choose what to look for.")])
    series = SelectField("Series", coerce=db_int, default=0, validate_choice=False, validators=[Optional()])
    module = SelectField("Module", coerce=db_int, default=0, validators=[Optional()])
    weeks = IntegerField("Weeks", default=4, validators=[Optional(), NumberRange(1, 52, "Use 1 to 52 weeks.")])

    def fill_choices(self, team):
        self.module.choices = [(0, "—")] + [(m.id, m.title) for m in module_choices()]


class QuestionForm(Question):
    """The question read from the query string (a GET changes nothing: no CSRF token), with the
    series picker: the team's series, those found by title, and the one chosen."""
    series_q = SingleLineField("Find a series by title", validators=[Optional(), Length(max=100)],
                               render_kw={"type": "search", "maxlength": 100})
    found, more_found = (), False

    class Meta:
        csrf = False

    def fill_choices(self, team, choose_found=False):
        """Offer the series that matter to the team and those found by title; `choose_found` (the
        Find button) chooses the first one found."""
        super().fill_choices(team)
        if self.series_q.validate(self):
            self.found, self.more_found = find_series(team, self.series_q.data)
        offered = dict(series_in_play(team))
        offered.update(self.found)
        if choose_found and self.found:
            self.criterion.data, self.series.data = "series", self.found[0][0]
        chosen = self.series.data
        if chosen and chosen not in offered:
            offered.update(series_open_to(team).where(Series.id == chosen).tuples())
        self.series.choices = [(0, "—")] + sorted(offered.items(), key=lambda item: (item[1].casefold(), item[0]))


class NudgeForm(Question):
    """The same question, posted with the nudge's optional words."""

    message = ProseAreaField("Add a few words (optional)", validators=[Optional(), Length(max=500)])
    email = BooleanField("Also send it by e-mail (to those who take e-mail for coaching notices)")
