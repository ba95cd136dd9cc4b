"""Form pieces shared by every capability: time-zone choice and validators."""
from wtforms import SelectField
from wtforms.validators import ValidationError

from learning.timezones import is_valid_zone, zone_names

# Ids and numbers live in 32-bit integer columns on PostgreSQL; SQLite's driver
# cannot even bind a value past 64 bits. A number outside this range can name
# no row, so it is refused as a bad choice before any query sees it.
DB_INT_MAX = 2**31 - 1


def db_int(value):
    """Coerce a submitted choice to an int a database column can hold."""
    number = int(value)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError("Number out of range")
    return number


def optional_db_int(value):
    """As db_int, with the empty choice meaning None."""
    return None if value in (None, "", "None") else db_int(value)


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
