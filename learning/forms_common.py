"""Form pieces shared by every capability: time-zone choice, text fields that keep
control characters out, the window a date must fall in, validators, and the choice of a
whole team and/or ticked people that a coach acts on at once."""
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning.db import utcnow
from learning.plain_text import clean_prose, has_control_characters
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


# --- text ------------------------------------------------------------------------

ONE_LINE_MESSAGE = "Keep this to one line: remove line breaks, tabs and other control characters."


class SingleLine:
    """A single-line field refuses control characters (line breaks and tabs included) with a
    message; the model field would fold them, but a person should see and fix them."""

    def pre_validate(self, form):
        super().pre_validate(form)
        if isinstance(self.data, str) and has_control_characters(self.data):
            raise ValidationError(ONE_LINE_MESSAGE)


class SingleLineField(SingleLine, StringField):
    pass


class SingleLineEmailField(SingleLine, EmailField):
    pass


class ProseAreaField(TextAreaField):
    """Multi-line text: line breaks and tabs are kept, other control characters dropped."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = clean_prose(self.data)


# --- dates -----------------------------------------------------------------------

def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February
        return day.replace(year=day.year + years, day=28)


class DateWithin:
    """A date (or the day of a datetime) from `earliest` to `years_ahead` years after today.

    Records (ratings, plans, goals) take 1990 to ten years ahead; what goes on a calendar
    (series, sessions, cohorts, check-ins) takes 2000 to five years ahead, the range the
    schedule's time-zone arithmetic and recurrence expansion are written for.
    """

    def __init__(self, earliest, years_ahead):
        self.earliest, self.years_ahead = earliest, years_ahead

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        latest = _years_later(utcnow().date(), self.years_ahead)
        if not self.earliest <= day <= latest:
            raise ValidationError(f"Choose a date from {self.earliest:%-d %B %Y} to {latest:%-d %B %Y}.")


RECORD_DATE = DateWithin(date(1990, 1, 1), years_ahead=10)
SCHEDULE_DATE = DateWithin(date(2000, 1, 1), years_ahead=5)


class TeamAndPeopleForm(FlaskForm):
    """A whole team and/or people ticked from a list (no "hold Ctrl"), for a coach acting on many at
    once, and optionally everyone enrolled in a module cohort (offered when `cohorts` are given). The
    service re-checks all of them (`accounts.service.team_and_chosen_people`)."""
    team_id = SelectField("Whole team", coerce=db_int, validate_choice=False)
    cohort_id = SelectField("Everyone enrolled in a module cohort (of the teams you coach)", coerce=db_int,
                            validate_choice=False, default=0)
    user_ids = SelectMultipleField("People", coerce=db_int, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args, teams=(), people=(), cohorts=(), **kwargs):
        """`teams` and `people` (User rows with their team joined): those the coach may choose;
        `cohorts`: Cohort rows with their module joined, whose members may be added."""
        super().__init__(*args, **kwargs)
        self.team_id.choices = [(0, "No whole team: only the people ticked below")] + [(t.id, t.name) for t in teams]
        self.cohort_id.choices = [(0, "No cohort")] + [(c.id, f"{c.module.title}: {c.title}") for c in cohorts]
        self.user_ids.choices = [(u.id, f"{u.display_name} ({u.team.name})") for u in people]

    def validate_team_id(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of the teams you coach.")

    def validate_cohort_id(self, field):
        if (field.data or 0) not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of the cohorts listed.")

    def validate_user_ids(self, field):
        if not set(field.data or []) <= {value for value, _ in field.choices}:
            raise ValidationError("Choose people from the teams you coach.")
        if not field.data and not self.team_id.data and not self.cohort_id.data:
            raise ValidationError("Choose a team or tick the people.")
