"""Forms for signing in, first-time setup, profile and admin of people and teams."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from learning.accounts.api_tokens import SCOPES
from learning.accounts.models import ROLE_LABELS, Team
from learning.accounts.service import password_problem
from learning.forms_common import SingleLineEmailField, SingleLineField, TimezoneField, db_int, optional_db_int


class LoginForm(FlaskForm):
    email = SingleLineEmailField("E-mail", validators=[DataRequired("Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")


class NewPasswordMixin:
    def validate_password(self, field):
        if not field.data:
            return  # DataRequired speaks where one is needed; elsewhere an invitation lets them choose
        problem = password_problem(field.data, self.email.data if hasattr(self, "email") else "")
        if problem:
            raise ValidationError(problem)


class PersonFields(FlaskForm):
    display_name = SingleLineField("Name", validators=[DataRequired("Enter a name."), Length(max=100)])
    email = SingleLineEmailField("E-mail", validators=[
        DataRequired("Enter an e-mail address."), Email("Enter a valid e-mail address."), Length(max=254)])
    timezone = TimezoneField()


class SetupForm(NewPasswordMixin, PersonFields):
    password = PasswordField("Password", validators=[DataRequired("Choose a password."), Length(max=200)])
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", "The two passwords differ.")])


class ProfileForm(FlaskForm):
    display_name = SingleLineField("Name", validators=[DataRequired("Enter your name."), Length(max=100)])
    timezone = TimezoneField()


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new_password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=200)])
    confirm = PasswordField("Repeat new password", validators=[EqualTo("new_password", "The two passwords differ.")])


class ApiTokenForm(FlaskForm):
    name = SingleLineField("Name", validators=[DataRequired("Name the token after what will use it."), Length(max=100)])
    scope = RadioField("Access", choices=list(SCOPES.items()), default="read",
                       validators=[InputRequired("Choose read only, or read and write.")])


def role_choices():
    return list(ROLE_LABELS.items())


def team_choices():
    return [(0, "No team")] + [(t.id, t.name) for t in Team.select().order_by(Team.name)]


class UserCreateForm(NewPasswordMixin, PersonFields):
    role = SelectField("Role", choices=role_choices())
    team = SelectField("Team", coerce=db_int)
    password = PasswordField("Initial password (optional)", validators=[Optional(), Length(max=200)])


class PlansToField(SelectField):
    """Who takes over a leaver's open coaching plans: an active coach, or nobody (closed)."""

    def __init__(self, label="Their open coaching plans", **kwargs):
        super().__init__(label, coerce=optional_db_int, **kwargs)

    def offer(self, coaches):
        self.choices = [("", "Close them")] + [(c.id, f"Hand them to {c.display_name}") for c in coaches]


class UserEditForm(PersonFields):
    role = SelectField("Role", choices=role_choices())
    team = SelectField("Team", coerce=db_int)
    active = BooleanField("Active (may sign in)")
    plans_to = PlansToField()


EMPLOYEE_ID = SingleLineField("Employee id", validators=[
    Length(max=64, message="Keep the employee id under 64 characters.")])


class PersonRecordForm(UserCreateForm):
    """The admin's new-person form with the HR list's employee id beside it (the API sets both)."""
    employee_id = EMPLOYEE_ID

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = team_choices()


class PersonRecordEditForm(UserEditForm):
    """The admin's edit form of `person` with the HR list's employee id beside it (the API sets both)."""
    employee_id = EMPLOYEE_ID

    def __init__(self, *args, person, coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = team_choices()
        self.plans_to.offer([coach for coach in coaches if coach.id != person.id])


class LeaverForm(FlaskForm):
    """Marking a leaver through the API: who takes over their open plans."""
    plans_to = PlansToField()

    def __init__(self, *args, person, coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plans_to.offer([coach for coach in coaches if coach.id != person.id])


class PeopleImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])
    create_teams = BooleanField("Create missing teams")
    sync = BooleanField("Sync: people missing from the file leave")
    plans_to = PlansToField("Open coaching plans of leavers")


class ConfirmPeopleImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])


class TeamForm(FlaskForm):
    name = SingleLineField("Team name", validators=[DataRequired("Enter a team name."), Length(max=100)])
    coaches = SelectMultipleField("Coaches", coerce=db_int)


class ForgotPasswordForm(FlaskForm):
    email = SingleLineEmailField("E-mail", validators=[
        DataRequired("Enter your e-mail address."), Email("Enter a valid e-mail address."), Length(max=254)])


class ChoosePasswordForm(FlaskForm):
    """The password a sign-in link was sent for; its rules are checked with the person's address."""
    password = PasswordField("New password", validators=[DataRequired("Choose a password."), Length(max=200)])
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", "The two passwords differ.")])
