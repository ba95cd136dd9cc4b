"""The preferences form: one choice of channel per kind of notice."""
from flask_wtf import FlaskForm
from wtforms import SelectField

from learning.notify.kinds import KINDS
from learning.notify.models import CHANNEL_LABELS


def preferences_form(preferences, formdata=None):
    """A form with one select per kind, filled with the person's current choices."""
    class PreferencesForm(FlaskForm):
        pass

    for kind, label in KINDS.items():
        setattr(PreferencesForm, kind, SelectField(
            label, choices=list(CHANNEL_LABELS.items()), default=preferences[kind],
            validate_choice=True))
    form = PreferencesForm() if formdata is None else PreferencesForm(formdata=formdata)
    for field in form:
        if field.name in KINDS:
            field.choices = list(CHANNEL_LABELS.items())
    return form


class UnsubscribeForm(FlaskForm):
    pass
