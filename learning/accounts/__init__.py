"""Accounts: users, roles, teams and their coaches; login, setup, profile, admin of people,
invitations and password resets, single sign-on, the people import (page and
`flask people import`) and leavers."""
from flask import current_app
from flask_login import user_logged_in

from learning.accounts import sso
from learning.accounts.cli import people_cli
from learning.accounts.service import record_sign_in
from learning.accounts.signals import people_created
from learning.accounts.sign_in_links import on_people_created
from learning.accounts.sso_routes import let_sign_in_form_reach_provider
from learning.templating import NavItem, add_nav_item


def sso_provider_name():
    """The name on the "Sign in with ..." button, or None when single sign-on is not set up."""
    return sso.provider_name(current_app.config) if sso.enabled(current_app.config) else None


def _signed_in(app, user, **extra):
    record_sign_in(user)


def register(app):
    # blinker ignores a second connection of the same receiver, so this may run once per app.
    people_created.connect(on_people_created, weak=False)
    app.jinja_env.globals["sso_provider_name"] = sso_provider_name
    app.after_request(let_sign_in_form_reach_provider)
    add_nav_item(app, NavItem("People", "accounts.users", role="admin", order=90, prefix="/admin/users", group="Admin"))
    add_nav_item(app, NavItem("Teams", "accounts.teams", role="admin", order=91, prefix="/admin/teams", group="Admin"))
    app.cli.add_command(people_cli)
    # Flask-Login's signal fires on every sign-in, by password or any other way.
    user_logged_in.connect(_signed_in, app, weak=False)
