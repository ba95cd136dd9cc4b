"""Forms for authoring modules, units and cohorts, enrolling someone and completing for them."""
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from learning.forms_common import (ProseAreaField, SCHEDULE_DATE, SingleLineField, TeamAndPeopleForm, db_int,
                                   optional_db_int)


class CoerceOptionalInt(SelectField):
    """A select whose empty choice means None."""

    def __init__(self, label, **kwargs):
        super().__init__(label, coerce=optional_db_int,
                         validate_choice=False, **kwargs)

    def pre_validate(self, form):
        if self.data is not None and self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Choose from the list.")


class ModuleForm(FlaskForm):
    title = SingleLineField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    area = SingleLineField("Area", validators=[DataRequired("Enter the area, e.g. Emotional support."), Length(max=80)])
    summary = ProseAreaField("Summary (Markdown)", validators=[Optional(), Length(max=5000)])
    estimated_hours = IntegerField("Estimated hours", default=4, validators=[
        InputRequired("Enter the estimated hours."), NumberRange(1, 500, "Use a whole number from 1 to 500.")])
    validity_months = IntegerField("Valid for (months)", validators=[
        Optional(), NumberRange(1, 120, "Use 1 to 120 months, or leave empty for no expiry.")])
    competencies = SelectMultipleField("Competencies it develops", coerce=db_int)
    prerequisites = SelectMultipleField("Prerequisites (modules to complete first)", coerce=db_int)


class UnitForm(FlaskForm):
    title = SingleLineField("Title", validators=[DataRequired("Enter a title for the unit."), Length(max=200)])
    position = IntegerField("Position", validators=[Optional(), NumberRange(0, 1000, "Use a number from 0 to 1000.")])
    material = ProseAreaField("Material (Markdown)", validators=[Optional(), Length(max=20000)])
    exercise = SingleLineField("Exercise (optional: what to do, or a link)", validators=[Optional(), Length(max=500)])
    session = CoerceOptionalInt("Linked session (optional)")


class CohortForm(FlaskForm):
    title = SingleLineField("Name", validators=[DataRequired("Enter a name, e.g. Spring 2027."), Length(max=200)])
    starts_on = DateField("Starts on", validators=[InputRequired("Enter the start date (YYYY-MM-DD)."), SCHEDULE_DATE])
    ends_on = DateField("Ends on", validators=[InputRequired("Enter the end date (YYYY-MM-DD)."), SCHEDULE_DATE])
    capacity = IntegerField("Capacity", validators=[Optional()])   # the range: learning.schedule.seats
    series = CoerceOptionalInt("Sessions (a module series in the programme schedule)")


class EnrolPersonForm(FlaskForm):
    person = SelectField("Person", coerce=db_int, validate_choice=False,
                         validators=[InputRequired("Choose a person.")])
    override_note = ProseAreaField("Note (needed to waive a missing prerequisite)",
                                  validators=[Optional(), Length(max=2000)])


class CompleteForm(FlaskForm):
    note = ProseAreaField("Why is it complete?", validators=[
        DataRequired("Write a note saying why the module is complete."), Length(max=2000)])


class CohortEnrolForm(TeamAndPeopleForm):
    """A coach enrols a whole team and/or chosen people in a cohort; the note waives a missing prerequisite."""
    override_note = ProseAreaField("Note (needed to waive a missing prerequisite)",
                                   validators=[Optional(), Length(max=2000)])
