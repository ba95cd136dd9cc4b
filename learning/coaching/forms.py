"""Coaching forms. Choices are filled by the routes; the services re-check every rule."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from learning.coaching.checkin_series import INTERVALS
from learning.coaching.models import ACTION_LABELS, PLAN_STATUSES
from learning.curriculum.models import Cohort, Module
from learning.forms_common import (DB_INT_MAX, ProseAreaField, RECORD_DATE, SCHEDULE_DATE, SingleLineField,
                                   TeamAndPeopleForm, db_int, optional_db_int)
from learning.schedule.models import Series

LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]


class RequestForm(FlaskForm):
    competencies = SelectMultipleField("Competencies you want support in", coerce=db_int,
                                       validators=[DataRequired("Choose at least one competency.")])
    description = ProseAreaField("What is hard?", validators=[DataRequired("Say in a few words what is hard."),
                                                             Length(max=1000, message="Keep it under 1000 characters.")])


class AnswerForm(FlaskForm):
    answer = ProseAreaField("Your answer", validators=[DataRequired("Write your answer."), Length(max=2000)])


class AcceptForm(FlaskForm):
    plan = SelectField("Add to plan", coerce=db_int, validators=[InputRequired("Choose a plan.")])
    answer = ProseAreaField("Message (optional)", validators=[Optional(), Length(max=2000)])


class PlanForm(FlaskForm):
    employee = SelectField("Employee", coerce=db_int, validators=[InputRequired("Choose the employee.")])
    title = SingleLineField("Title", validators=[DataRequired("Give the plan a title."), Length(max=200)])
    competencies = SelectMultipleField("Focus competencies", coerce=db_int,
                                       validators=[DataRequired("Choose at least one competency.")])
    start_date = DateField("Start date", validators=[InputRequired("Enter the start date as YYYY-MM-DD."), RECORD_DATE])
    review_date = DateField("Review date", validators=[InputRequired("Enter the review date as YYYY-MM-DD."), RECORD_DATE])
    template = SelectField("Start from a template", coerce=db_int, default=0, validators=[Optional()])


class GoalForm(FlaskForm):
    competency = SelectField("Competency", coerce=db_int, validators=[InputRequired("Choose a competency.")])
    what_good_looks_like = ProseAreaField("What good looks like", validators=[
        DataRequired("Describe what good looks like."), Length(max=2000)])
    target_level = SelectField("Target level", coerce=db_int, choices=LEVEL_CHOICES,
                               validators=[InputRequired("Choose a level from 1 to 5.")])
    due_date = DateField("Due date", validators=[InputRequired("Enter the due date as YYYY-MM-DD."), RECORD_DATE])


class StatusForm(FlaskForm):
    status = SingleLineField("Status", validators=[DataRequired("Choose a status.")])


class ActionForm(FlaskForm):
    kind = SelectField("Kind", choices=list(ACTION_LABELS.items()), validators=[DataRequired("Choose a kind.")])
    title = SingleLineField("Title", validators=[DataRequired("Give the action a title."), Length(max=200)])
    series = SelectField("Session series", coerce=db_int, default=0, validators=[Optional()])
    module_id = SelectField("Module", coerce=db_int, default=0, validators=[Optional()])
    cohort_id = SelectField("Enrol in cohort", coerce=db_int, default=0, validators=[Optional()])
    override_note = SingleLineField("Override note", validators=[Optional(), Length(max=500)])

    def fill_choices(self):
        """Active series and published modules to link the action to."""
        self.series.choices = [(0, "—")] + [(s.id, s.title) for s in Series.select(Series.id, Series.title).where(
            Series.active == True).order_by(Series.title)]  # noqa: E712
        self.module_id.choices = [(0, "—")] + [(m.id, m.title) for m in Module.select(Module.id, Module.title).where(
            Module.status == "published").order_by(Module.title)]
        self.cohort_id.choices = [(0, "Do not enrol now")] + open_cohort_choices()


def open_cohort_choices():
    """Cohorts of published modules that have not ended, labelled with their module and dates."""
    query = (Cohort.select(Cohort, Module).join(Module)
             .where(Module.status == "published", Cohort.ends_on >= date.today())
             .order_by(Module.title, Cohort.starts_on))
    return [(c.id, f"{c.module.title}: {c.title} ({c.starts_on:%d %b} – {c.ends_on:%d %b %Y})") for c in query]


class CheckInForm(FlaskForm):
    date = DateField("Date", validators=[InputRequired("Enter the date as YYYY-MM-DD."), SCHEDULE_DATE])
    time = TimeField("Time (your zone)", validators=[InputRequired("Enter the time as HH:MM.")])
    duration = IntegerField("Duration (minutes)", default=30, validators=[
        InputRequired("Enter the duration in minutes."), NumberRange(10, 240, "Use 10 to 240 minutes.")])
    video_url = SingleLineField("Video link", validators=[Optional(), Length(max=500)])


class CancelForm(FlaskForm):
    """No fields: the CSRF token only."""


class AgendaForm(FlaskForm):
    text = SingleLineField("Agenda item", validators=[DataRequired("Write the agenda item."), Length(max=500)])


class NoteForm(FlaskForm):
    body = ProseAreaField("Note", validators=[DataRequired("Write the note."), Length(max=5000)])
    private = BooleanField("Private: only coaches of this employee can read it")


class AgreedForm(FlaskForm):
    agreed_actions = ProseAreaField("Agreed actions", validators=[DataRequired("Write what you agreed."),
                                                                 Length(max=5000)])


class AcknowledgeForm(FlaskForm):
    agreed = BooleanField("I have seen this and agree")
    comment = ProseAreaField("Comment", validators=[Optional(), Length(max=2000)])


class RatingForm(FlaskForm):
    competency = SelectField("Competency", coerce=db_int, validators=[InputRequired("Choose a competency.")])
    level = SelectField("Level", coerce=db_int, choices=LEVEL_CHOICES, validators=[InputRequired("Choose a level.")])
    rated_on = DateField("Date", validators=[InputRequired("Enter the date as YYYY-MM-DD."), RECORD_DATE])
    evidence = ProseAreaField("Evidence", validators=[Optional(), Length(max=2000)])
    evidence_url = SingleLineField("Evidence link", validators=[Optional(), Length(max=500)])


class TemplateForm(FlaskForm):
    name = SingleLineField("Name", validators=[DataRequired("Give the template a name."), Length(max=120)])
    description = ProseAreaField("Description", validators=[Optional(), Length(max=2000)])


class TemplateGoalForm(FlaskForm):
    competency = SelectField("Competency", coerce=db_int, validators=[InputRequired("Choose a competency.")])
    what_good_looks_like = ProseAreaField("What good looks like", validators=[
        DataRequired("Describe what good looks like."), Length(max=2000)])
    target_level = SelectField("Target level", coerce=db_int, choices=LEVEL_CHOICES,
                               validators=[InputRequired("Choose a level.")])
    due_after_days = IntegerField("Due after (days)", default=90, validators=[
        InputRequired("Enter a number of days."), NumberRange(1, 730, "Use 1 to 730 days.")])



class AgendaDoneForm(FlaskForm):
    done = SelectField("Done", choices=[("1", "Done"), ("0", "Open")], validators=[InputRequired()])


class CheckInSeriesForm(FlaskForm):
    """Recurring check-ins for whole teams and chosen people at once (choices filled by the route)."""
    teams = SelectMultipleField("Everyone in these teams", coerce=db_int, validators=[Optional()])
    people = SelectMultipleField("And these people", coerce=db_int, validators=[Optional()])
    first_day = DateField("First check-in", validators=[InputRequired("Enter the date as YYYY-MM-DD."), SCHEDULE_DATE])
    time = TimeField("Time (each person's zone)", validators=[InputRequired("Enter the time as HH:MM.")])
    interval_weeks = SelectField("How often", coerce=db_int, choices=list(INTERVALS.items()), default=2,
                                 validators=[InputRequired("Choose how often.")])
    until = DateField("Last date", validators=[InputRequired("Enter the last date as YYYY-MM-DD."), SCHEDULE_DATE])
    duration = IntegerField("Duration (minutes)", default=30, validators=[
        InputRequired("Enter the duration in minutes."), NumberRange(10, 240, "Use 10 to 240 minutes.")])

    def validate_people(self, field):
        if not field.data and not self.teams.data:
            raise ValidationError("Choose at least one team or person.")


class PlanFilterForm(FlaskForm):
    """The plan list's filters, read from the query string."""
    class Meta:
        csrf = False

    status = SelectField("Status", choices=[("", "Any status")] + [(s, s.title()) for s in PLAN_STATUSES],
                         default="", validators=[Optional()])
    overdue = BooleanField("Only with overdue goals or actions")
    person = SingleLineField("Person", validators=[Optional(), Length(max=100)],
                             render_kw={"placeholder": "Part of a name", "type": "search"})
    competency = SelectField("Focus competency", coerce=optional_db_int, default=None, validators=[Optional()])


class RatingGridForm(FlaskForm):
    """The ratings grid's date and the last rating entry it showed (`seen`); its cells, one input
    `c<member>-<competency>` each, are read by `changed_cells`."""
    rated_on = DateField("Rated on", validators=[InputRequired("Enter the date as YYYY-MM-DD."), RECORD_DATE])
    seen = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(0, DB_INT_MAX)])


def changed_cells(formdata, grid):
    """({(employee id, competency id): level} for the cells whose value differs from the coach level the
    grid showed, {cell: message} for values that are not a level). A cell emptied is left as it was:
    history stays."""
    levels, errors = {}, {}
    for employee_id, competency_id in grid.cells():
        value = formdata.get(f"c{employee_id}-{competency_id}", "").strip()
        shown = str(grid.latest.get((employee_id, competency_id), {}).get("coach", ""))
        if value == shown or not value:
            continue
        if value not in {"1", "2", "3", "4", "5"}:
            errors[(employee_id, competency_id)] = "A level from 1 to 5."
        else:
            levels[(employee_id, competency_id)] = int(value)
    return levels, errors


class AssignTemplateForm(TeamAndPeopleForm):
    """A plan from a template for a whole team and/or chosen people."""
    title = SingleLineField("Plan title", validators=[DataRequired("Give the plans a title."), Length(max=200)])
    start_date = DateField("Start date", validators=[InputRequired("Enter the start date as YYYY-MM-DD."), RECORD_DATE])
    review_date = DateField("Review date", validators=[InputRequired("Enter the review date as YYYY-MM-DD."), RECORD_DATE])
