"""Forms: subscribing to a programme feed, and importing an .ics file."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import Length, Optional

from learning.forms_common import SingleLineField, TimezoneField
from learning.schedule.models import KIND_LABELS


class SubscribeForm(FlaskForm):
    feed = SelectField("Calendar", choices=[])


class ImportForm(FlaskForm):
    file = FileField("Calendar file (.ics)")
    target = RadioField("Import into", choices=[("new", "A new series"), ("existing", "An existing series")],
                        default="new")
    series = SelectField("Existing series", choices=[], validators=[Optional()])
    title = SingleLineField("New series title", validators=[Optional(), Length(max=200)])
    kind = SelectField("Kind", choices=list(KIND_LABELS.items()), default="skill")
    timezone = TimezoneField("Time zone for times without one")
    payload = HiddenField()
