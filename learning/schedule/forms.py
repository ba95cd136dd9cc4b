"""Schedule forms: a series (with the common repeat patterns), one occurrence,
capacity, and feedback. The service checks the rules; these read the input."""
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField,
                     TimeField)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from learning.accounts.models import Team, User
from learning.competencies.models import Competency
from learning.forms_common import (ProseAreaField, SCHEDULE_DATE, SingleLineField, TeamAndPeopleForm, TimezoneField,
                                   db_int)
from learning.refusals import Refused
from learning.schedule.models import KIND_LABELS, SeriesCompetency, SeriesFacilitator, Session
from learning.schedule.recurrence import PATTERNS, build_rule, form_values
from learning.timezones import to_local


def people_choices():
    return [(u.id, u.display_name) for u in
            User.select(User.id, User.display_name).where(User.active == True).order_by(User.display_name)]  # noqa: E712


def minutes_between(start, end):
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class TimesMixin:
    def first_start_local(self):
        if self.start_date.data is None or self.start_time.data is None:
            return None
        return datetime.combine(self.start_date.data, self.start_time.data)

    def duration_minutes(self):
        return minutes_between(self.start_time.data, self.end_time.data)

    def validate_end_time(self, field):
        if self.start_time.data and field.data and minutes_between(self.start_time.data, field.data) <= 0:
            raise ValidationError("The session must end after it starts.")


class SeriesForm(TimesMixin, FlaskForm):
    kind = SelectField("Kind", choices=list(KIND_LABELS.items()))
    title = SingleLineField("Title", validators=[InputRequired("Give the series a title.")])
    description = ProseAreaField("Description", description="Markdown: **bold**, lists, links.")
    competency_ids = SelectMultipleField("Competencies", coerce=db_int, validate_choice=False)
    facilitator_ids = SelectMultipleField("Facilitators", coerce=db_int, validate_choice=False)
    team_id = SelectField("For team", coerce=db_int, validate_choice=False)
    location = SingleLineField("Room or place")
    video_url = SingleLineField("Video link")
    capacity = IntegerField("Seats", validators=[Optional()], description="Leave empty for no limit.")
    timezone = TimezoneField()
    start_date = DateField("First date", validators=[InputRequired("Give the date of the first session."), SCHEDULE_DATE])
    start_time = TimeField("Starts at", validators=[InputRequired("Give the start time.")])
    end_time = TimeField("Ends at", validators=[InputRequired("Give the end time.")])
    pattern = SelectField("Repeats", choices=list(PATTERNS.items()), default="weekly")
    interval = IntegerField("Every N weeks", default=2, validators=[
        Optional(), NumberRange(2, 12, "Choose every 2 to 12 weeks.")])
    ends = RadioField("Ends", choices=[("until", "On a date"), ("count", "After a number of sessions"),
                                       ("never", "Keeps going")], default="count")
    until = DateField("Until", validators=[Optional(), SCHEDULE_DATE])
    count = IntegerField("Number of sessions", default=10, validators=[
        Optional(), NumberRange(1, 500, "Choose 1 to 500 sessions.")])
    confirm = BooleanField("Yes, go ahead: I have read who is affected")

    def __init__(self, *args, teams=(), **kwargs):
        """`teams`: those the person may plan for (schedule.service.plannable_teams), plus a series' own."""
        super().__init__(*args, **kwargs)
        self.competency_ids.choices = [(c.id, c.name) for c in Competency.select().order_by(Competency.position)]
        self.facilitator_ids.choices = people_choices()
        self.team_id.choices = [(0, "Everyone (programme-wide)")] + [(t.id, t.name) for t in teams]

    def validate_team_id(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of the teams you coach, or everyone.")

    def validate_until(self, field):
        if self.pattern.data != "once" and self.ends.data == "until" and field.data is None:
            raise ValidationError("Give the date of the last session.")

    def validate_count(self, field):
        if self.pattern.data != "once" and self.ends.data == "count" and not field.data:
            raise ValidationError("Give the number of sessions.")

    def rule(self):
        """The RRULE text, or None after putting the problem on the pattern field."""
        first = self.first_start_local()
        try:
            return build_rule(self.pattern.data, first, interval=self.interval.data or 2,
                              until=self.until.data if self.ends.data == "until" else None,
                              count=self.count.data if self.ends.data == "count" else None)
        except Refused as error:
            self.pattern.errors = list(self.pattern.errors) + [str(error)]
            return None

    def series_fields(self):
        return dict(
            title=self.title.data or "", timezone=self.timezone.data, first_start_local=self.first_start_local(),
            duration_minutes=self.duration_minutes(), rrule=self.rule(), capacity=self.capacity.data,
            team=Team.get_or_none(Team.id == self.team_id.data) if self.team_id.data else None,
            description=self.description.data or "", location=(self.location.data or "").strip(),
            video_url=(self.video_url.data or "").strip(), competency_ids=self.competency_ids.data or [],
            facilitator_ids=self.facilitator_ids.data or [])


class SessionForm(TimesMixin, FlaskForm):
    start_date = DateField("Date", validators=[InputRequired("Give the date."), SCHEDULE_DATE])
    start_time = TimeField("Starts at", validators=[InputRequired("Give the start time.")])
    end_time = TimeField("Ends at", validators=[InputRequired("Give the end time.")])
    location = SingleLineField("Room or place")
    video_url = SingleLineField("Video link")
    facilitator_id = SelectField("Facilitator", coerce=db_int, validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.facilitator_id.choices = [(0, "The series' facilitators")] + people_choices()


def series_form_defaults(series, start):
    """What the series form shows when a series is changed from its session `start` on."""
    local = to_local(start.starts_at, series.timezone)
    end = to_local(start.ends_at, series.timezone)
    rule = form_values(series.rrule)
    if "count" in rule:   # the sessions left from this one on
        rule["count"] = series.sessions.where(Session.recurrence_local >= start.recurrence_local).count()
    return {"start_date": local.date(), "start_time": local.time(), "end_time": end.time(),
            "team_id": series.team_id or 0, **rule,
            "facilitator_ids": [f.user_id for f in SeriesFacilitator.select().where(SeriesFacilitator.series == series)],
            "competency_ids": [c.competency_id for c in SeriesCompetency.select().where(SeriesCompetency.series == series)]}


def session_form_defaults(session):
    """What the form for one occurrence shows of it (beside its location and video link)."""
    local, end = to_local(session.starts_at, session.timezone), to_local(session.ends_at, session.timezone)
    return {"start_date": local.date(), "start_time": local.time(), "end_time": end.time(),
            "facilitator_id": session.facilitator_id or 0}


class CapacityForm(FlaskForm):
    capacity = IntegerField("Seats", validators=[Optional()], description="Leave empty for no limit.")
    confirm = BooleanField("Yes, keep those going and set the lower limit")


class FeedbackForm(FlaskForm):
    rating = RadioField("Your rating", coerce=db_int, choices=[(n, str(n)) for n in range(1, 6)],
                        validators=[InputRequired("Choose a rating from 1 to 5.")])
    comment = ProseAreaField("Comment (optional)")


class EnrolForm(TeamAndPeopleForm):
    """A coach enrols a whole team and/or chosen people in every future session of a series."""
