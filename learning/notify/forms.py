"""The preferences form: one choice of channel per kind of notice."""
from flask_wtf import FlaskForm
from wtforms import SelectField

from learning.notify.kinds import KINDS
from learning.notify.models import CHANNEL_LABELS


def preferences_form(preferences):
    """A form with one select per kind, filled with the person's current choices."""
    class PreferencesForm(FlaskForm):
        pass

    for kind, label in KINDS.items():
        setattr(PreferencesForm, kind, SelectField(label, choices=list(CHANNEL_LABELS.items()),
                                                   default=preferences[kind]))
    return PreferencesForm()
