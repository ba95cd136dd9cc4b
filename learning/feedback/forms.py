"""Forms for raising operations feedback, changing its status and keeping the cause list."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from learning.feedback.models import STATUSES
from learning.forms_common import ProseAreaField, SingleLineField, db_int, optional_db_int

NOTE = Length(max=2000, message="Keep the note under 2000 characters.")


class RaiseItemForm(FlaskForm):
    title = SingleLineField("What operations should change", validators=[
        DataRequired("Say in one line what should change."), Length(max=200, message="Keep the title under 200 characters.")])
    cause = SelectField("Root cause", coerce=optional_db_int, validate_choice=False,
                        validators=[DataRequired("Choose the root cause.")])
    owner = SingleLineField("Owning team or department", validators=[
        DataRequired("Name the team or department that can remove the cause, e.g. Billing."),
        Length(max=120, message="Keep this under 120 characters.")])
    cases = SelectMultipleField("Cases behind it", coerce=db_int, validate_choice=False,
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), render_kw={"class": "plain"},
                                validators=[DataRequired("Choose at least one case from the agenda.")])
    note = ProseAreaField("Note for operations (optional)", validators=[NOTE])


class StatusForm(FlaskForm):
    status = SelectField("New status", choices=STATUSES)
    note = ProseAreaField("What changed (optional)", validators=[NOTE])


class CauseForm(FlaskForm):
    name = SingleLineField("Name", validators=[DataRequired("Give the cause a name."),
                                               Length(max=80, message="Keep the name under 80 characters.")])
    description = SingleLineField("What it covers", validators=[
        Length(max=300, message="Keep the description under 300 characters.")])
    retired = BooleanField("Retired (kept on cases already tagged, no longer offered)")
