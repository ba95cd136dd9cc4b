"""Forms for writing a case, the meetup agenda, the discussion and the takeaways."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length, NumberRange

from learning.cases.causes import AVOIDABLE_CHOICES
from learning.cases.models import CHANNELS
from learning.cases.tickets import MAX_TICKET_BYTES
from learning.forms_common import DB_INT_MAX, ProseAreaField, SingleLineField, db_int, optional_db_int

LONG = 5000
HEAVINESS = [("", "Prefer not to say"), ("1", "1 - light"), ("2", "2"), ("3", "3"), ("4", "4 - heavy"),
             ("5", "5 - very heavy")]
REQUIRED_TO_SUBMIT = {
    "customer_need": "Say what the customer needed and how they felt.",
    "actions": "Say what you did and said.",
    "outcome": "Say how it ended.",
    "ask": "Say what you want the group's input on.",
}


def lines(text):
    """One entry per line, blanks dropped (names to remove, strings to keep)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CaseForm(FlaskForm):
    title = SingleLineField("Title", validators=[DataRequired("Give the case a short title."),
                                             Length(max=200, message="Keep the title under 200 characters.")])
    channel = SelectField("Channel", choices=CHANNELS, validate_choice=True)
    customer_need = ProseAreaField("What the customer needed, and how they felt",
                                  validators=[Length(max=LONG, message=f"Keep this under {LONG} characters.")])
    actions = ProseAreaField("What I did and said",
                            validators=[Length(max=LONG, message=f"Keep this under {LONG} characters.")])
    outcome = ProseAreaField("The outcome", validators=[Length(max=LONG, message=f"Keep this under {LONG} characters.")])
    ask = ProseAreaField("What I want the group's input on",
                        validators=[Length(max=2000, message="Keep this under 2000 characters.")])
    competencies = SelectMultipleField("Competencies it touches", coerce=db_int, validate_choice=False)
    heaviness = SelectField("How heavy did it feel?", choices=HEAVINESS, coerce=optional_db_int)
    anonymous = BooleanField("Share without my name (peers will not see that the case is yours; "
                             "your coaches and the meetup's coaches will)")
    meetup = SelectField("Bring it to", coerce=optional_db_int, validate_choice=False)
    names = ProseAreaField("Names to remove (one per line)",
                          validators=[Length(max=2000, message="Keep the list under 2000 characters.")])
    keep = ProseAreaField("Text to keep as it is (one per line, e.g. an order number)",
                         validators=[Length(max=2000, message="Keep the list under 2000 characters.")])
    reviewed = HiddenField()

    def validate_for_submit(self):
        ok = self.validate()
        for name, message in REQUIRED_TO_SUBMIT.items():
            field = getattr(self, name)
            if not (field.data or "").strip():
                field.errors = list(field.errors) + [message]
                ok = False
        return ok

    def case_data(self):
        data = {name: getattr(self, name).data or "" for name in ("title", *REQUIRED_TO_SUBMIT)}
        data.update(channel=self.channel.data, heaviness=self.heaviness.data, anonymous=bool(self.anonymous.data),
                    meetup_id=self.meetup.data, competency_ids=self.competencies.data or [])
        return data


class TicketImportForm(FlaskForm):
    """A helpdesk ticket's export, pasted or uploaded, to fill the case form (tickets.py reads it)."""
    ticket_text = ProseAreaField("Paste the ticket export")
    ticket_file = FileField("Or upload it (.json or .eml)")

    def ticket_bytes(self):
        """The export pasted or uploaded (the file when both), at most one byte over the limit."""
        upload = self.ticket_file.data
        if upload is not None and getattr(upload, "filename", ""):
            return upload.read(MAX_TICKET_BYTES + 1)
        return (self.ticket_text.data or "").encode("utf-8", "surrogatepass")


class AgendaAddForm(FlaskForm):
    case_id = IntegerField("Case", validators=[DataRequired("Choose a case from the queue."),
                                               NumberRange(1, DB_INT_MAX, "Choose a case from the queue.")])
    minutes = IntegerField("Minutes", default=15, validators=[
        DataRequired("Give the case a time box in minutes."),
        NumberRange(1, 120, "Use a time box from 1 to 120 minutes.")])


class TimeBoxForm(FlaskForm):
    minutes = IntegerField("Minutes", validators=[
        DataRequired("Give the case a time box in minutes."),
        NumberRange(1, 120, "Use a time box from 1 to 120 minutes.")])


class CommentForm(FlaskForm):
    body = ProseAreaField("Add to the discussion", validators=[
        DataRequired("Write something first."), Length(max=4000, message="Keep a comment under 4000 characters.")])


class TakeawayForm(FlaskForm):
    what_worked = ProseAreaField("What worked", validators=[
        DataRequired("Say what worked."), Length(max=LONG, message=f"Keep this under {LONG} characters.")])
    do_differently = ProseAreaField("What we would do differently", validators=[
        DataRequired("Say what the group would do differently."),
        Length(max=LONG, message=f"Keep this under {LONG} characters.")])
    principle = SingleLineField("The principle or boundary it illustrates", validators=[
        DataRequired("Name the principle or boundary, e.g. Own the issue until it is resolved."),
        Length(max=300, message="Keep this under 300 characters.")])
    competencies = SelectMultipleField("Competencies", coerce=db_int, validate_choice=False)


class CauseTagForm(FlaskForm):
    cause = SelectField("Root cause", coerce=optional_db_int, validate_choice=False)
    avoidable = SelectField("Could the contact have been avoided?", choices=AVOIDABLE_CHOICES)


class LibrarySearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SingleLineField("Search", render_kw={"type": "search", "maxlength": 200})
    competency = SelectField("Competency", coerce=optional_db_int, validate_choice=False)
    channel = SelectField("Channel", choices=[("", "Any channel"), *CHANNELS], validate_choice=False)
    cause = SelectField("Root cause", coerce=optional_db_int, validate_choice=False)
