"""Forms for an admin's webhook and a team's chat hooks; the rules behind them are the service's."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import DataRequired, Length

from learning.forms_common import SingleLineField
from learning.webhooks.events import EVENTS

ADDRESS = Length(max=500, message="Keep the address under 500 characters.")


class EndpointForm(FlaskForm):
    url = SingleLineField("Receiver's address", validators=[DataRequired("Enter the receiver's address."), ADDRESS],
                          render_kw={"placeholder": "https://", "inputmode": "url"})
    events = SelectMultipleField("Events", choices=list(EVENTS.items()),
                                 validators=[DataRequired("Choose at least one event.")])
    active = BooleanField("On (a switched-off endpoint keeps its log and is sent nothing)", default=True)


class ChatForm(FlaskForm):
    slack = SingleLineField("Slack incoming webhook", validators=[ADDRESS],
                            render_kw={"placeholder": "https://hooks.slack.com/services/…", "inputmode": "url"})
    teams = SingleLineField("Microsoft Teams incoming webhook", validators=[ADDRESS],
                            render_kw={"placeholder": "https://….webhook.office.com/…", "inputmode": "url"})
