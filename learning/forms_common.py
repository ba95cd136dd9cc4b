"""Form pieces shared by every capability: time-zone choice and validators."""
from wtforms import SelectField
from wtforms.validators import ValidationError

from learning.timezones import is_valid_zone, zone_names


class TimezoneField(SelectField):
    def __init__(self, label="Time zone", **kwargs):
        super().__init__(label, choices=[], validate_choice=False, **kwargs)

    def pre_validate(self, form):
        if not is_valid_zone(self.data):
            raise ValidationError("Choose a time zone from the list, e.g. Europe/Berlin.")

    def iter_choices(self):
        self.choices = [(name, name) for name in zone_names()]
        return super().iter_choices()


def apply_service_error(form, error):
    """Show a service's refusal beside the field it names (or on the form)."""
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is not None:
        field.errors = list(field.errors) + [str(error)]
    else:
        form.form_errors.append(str(error))
