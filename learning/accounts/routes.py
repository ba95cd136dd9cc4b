"""Sign in and out, first-time setup, own profile, and admin of people and teams."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from learning.accounts import api_tokens, service
from learning.accounts.forms import (
    ApiTokenForm, LoginForm, PasswordForm, ProfileForm, SetupForm, TeamForm, UserCreateForm, UserEditForm,
    team_choices)
from learning.accounts.login import same_site_path
from learning.accounts.models import ROLE_LABELS, Team, TeamCoach, User
from learning.accounts.people_list import (EXPORT_COLUMNS, SIGNED_IN, STATUSES, PeopleFilter, people_rows,
                                          team_options)
from learning.accounts.privacy import anonymise, personal_data_json
from learning.csv_files import csv_response, wants_csv
from learning.db import db
from learning.refusals import Refused
from learning.web import (
    employee, get_or_404, int_arg, paginate, public, role_required, show_refusal, viewer_zone)

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if not User.select().exists():
        return redirect(url_for("accounts.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        user, refusal = service.sign_in_attempt(form.email.data, form.password.data, request.remote_addr)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(same_site_path(request.args.get("next")) or url_for("home.dashboard"))
        form.form_errors.append(refusal)
        return render_template("accounts/login.html", form=form), 429 if "Too many" in refusal else 200
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    # Ends this person's every session, not only this cookie: a copy of it, or a
    # remember-me cookie kept elsewhere, must not sign anyone in again.
    if current_user.is_authenticated:
        service.end_sessions(current_user._get_current_object())
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile/sign-out-everywhere", methods=["POST"])
@employee
def sign_out_everywhere():
    service.sign_out_everywhere(current_user._get_current_object(), current_user._get_current_object())
    logout_user()
    flash("You are signed out on every device.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/admin/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@role_required("admin")
def user_sign_out_everywhere(user_id):
    person = get_or_404(User, User.id == user_id)
    service.sign_out_everywhere(person, current_user._get_current_object())
    if person.id == current_user.id:
        logout_user()
        flash("You are signed out on every device.", "info")
        return redirect(url_for("accounts.login"))
    flash(f"{person.display_name} is signed out on every device.", "success")
    return redirect(url_for("accounts.user_edit", user_id=person.id))


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup():
    """One-time creation of the first admin on an empty database."""
    if User.select().exists():
        return redirect(url_for("accounts.login"))
    form = SetupForm()
    if request.method == "GET":
        form.timezone.data = current_app.config["LEARNING_TIMEZONE"]
    if form.validate_on_submit():
        try:
            user = service.create_user(form.email.data, form.display_name.data, form.password.data,
                                       role="admin", timezone=form.timezone.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            login_user(user)
            flash("Welcome. Your programme is ready to set up.", "success")
            return redirect(url_for("home.dashboard"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@employee
def profile():
    form = ProfileForm(obj=current_user, prefix="profile")
    password_form = PasswordForm(prefix="password")
    if "profile-display_name" in request.form and form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.timezone = form.timezone.data
        current_user.save()
        flash("Your profile is saved.", "success")
        return redirect(url_for("accounts.profile"))
    if "password-new_password" in request.form and password_form.validate_on_submit():
        try:
            user = service.change_password(current_user._get_current_object(), password_form.current_password.data,
                                           password_form.new_password.data)
        except Refused as error:
            show_refusal(password_form, error)
        else:
            login_user(user)  # this session carries on; every other one is signed out
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("accounts.profile"))
    return profile_page(form=form, password_form=password_form)


def profile_page(form=None, password_form=None, token_form=None, new_secret=None):
    return render_template(
        "accounts/profile.html", form=form if form is not None else ProfileForm(obj=current_user, prefix="profile"),
        password_form=password_form if password_form is not None else PasswordForm(prefix="password"),
        token_form=token_form if token_form is not None else ApiTokenForm(prefix="token"), new_secret=new_secret,
        tokens=list(api_tokens.live_tokens(current_user)), scopes=api_tokens.SCOPES)


@bp.route("/profile/api-tokens", methods=["POST"])
@employee
def create_api_token():
    """A new personal access token, shown on this answer only (never redirected to: the secret
    would have to wait in the session cookie, which is signed, not encrypted)."""
    form = ApiTokenForm(prefix="token")
    if form.validate_on_submit():
        try:
            token, secret = api_tokens.issue_token(current_user._get_current_object(), form.name.data, form.scope.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"Token \"{token.name}\" created. Copy it now: it is not shown again.", "success")
            return profile_page(token_form=ApiTokenForm(prefix="token", formdata=None), new_secret=secret)
    return profile_page(token_form=form)


@bp.route("/profile/api-tokens/<int:token_id>/revoke", methods=["POST"])
@employee
def revoke_api_token(token_id):
    api_tokens.revoke_token(current_user._get_current_object(), token_id)   # another person's token: 404
    flash("The token is revoked: requests that send it are refused from now on.", "success")
    return redirect(url_for("accounts.profile") + "#api-tokens")


@bp.route("/profile/export")
@employee
def export_personal_data():
    """Everything the app holds about the signed-in person, as a JSON download."""
    body = personal_data_json(current_user._get_current_object())
    return body, 200, {"Content-Type": "application/json; charset=utf-8",
                       "Content-Disposition": 'attachment; filename="my-learning-data.json"',
                       "Cache-Control": "no-store"}


@bp.route("/admin/users/<int:user_id>/anonymise", methods=["POST"])
@role_required("admin")
def anonymise_user(user_id):
    person = get_or_404(User, User.id == user_id)
    try:
        anonymise(person, current_user._get_current_object())
    except Refused as error:
        show_refusal(None, error)
        return redirect(url_for("accounts.user_edit", user_id=person.id))
    flash("The person is anonymised; their history stays in the programme's figures.", "success")
    return redirect(url_for("accounts.users"))


@bp.route("/admin/users")
@role_required("admin")
def users():
    """Everyone, filtered and searched, a page at a time; `?format=csv` exports the filtered list."""
    team_id = int_arg("team", minimum=0)
    filters = PeopleFilter.from_args(request.args, team_id)
    if wants_csv():
        return csv_response("people.csv", EXPORT_COLUMNS, people_rows(filters.query(), viewer_zone()))
    teams, every_team = team_options(filters.team_id)
    return render_template("accounts/users.html", page=paginate(filters.query()), filters=filters, teams=teams,
                           every_team=every_team, roles=ROLE_LABELS, statuses=STATUSES, signed_in=SIGNED_IN)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    form = UserCreateForm()
    form.team.choices = team_choices()
    if request.method == "GET":
        form.timezone.data = current_app.config["LEARNING_TIMEZONE"]
    if form.validate_on_submit():
        try:
            service.add_person(current_user._get_current_object(), form.email.data, form.display_name.data,
                               form.password.data or None, role=form.role.data, team=form.team.data or None,
                               timezone=form.timezone.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"{form.display_name.data} is added; an invitation e-mail is on its way.", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, person=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id):
    person = get_or_404(User, User.id == user_id)
    form = UserEditForm(obj=person)
    form.team.choices = team_choices()
    form.plans_to.offer([coach for coach in service.active_coaches() if coach.id != person.id])
    if request.method == "GET":
        form.team.data = person.team_id or 0
    if form.validate_on_submit():
        try:
            service.update_person(person, current_user, display_name=form.display_name.data, email=form.email.data,
                                  timezone=form.timezone.data, role=form.role.data, team_id=form.team.data or None,
                                  active=form.active.data, plans_to=service.check_plans_to(form.plans_to.data))
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"{person.display_name} is saved.", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, person=person)


@bp.route("/admin/teams")
@role_required("admin")
def teams():
    page = paginate(Team.select().order_by(Team.name, Team.id))
    ids = [t.id for t in page.items]
    return render_template("accounts/teams.html", page=page, teams=page.items, coaches=service.team_coach_map(ids),
                           sizes=service.team_sizes(ids))


def _coach_choices():
    return [(u.id, u.display_name) for u in service.active_coaches()]


@bp.route("/admin/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/admin/teams/<int:team_id>", methods=["GET", "POST"])
@role_required("admin")
def team_edit(team_id):
    team = get_or_404(Team, Team.id == team_id) if team_id else None
    form = TeamForm(obj=team)
    form.coaches.choices = _coach_choices()
    if request.method == "GET" and team:
        form.coaches.data = [link.user_id for link in TeamCoach.select().where(TeamCoach.team == team)]
    if form.validate_on_submit():
        try:
            service.save_team(team, form.name.data, form.coaches.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"Team {form.name.data.strip()} is saved.", "success")
            return redirect(url_for("accounts.teams"))
    return render_template("accounts/team_form.html", form=form, team=team)
