"""Accounts: users, roles, teams and their coaches; login, setup, profile, admin of people,
the people import (page and `flask people import`) and leavers."""
from flask_login import user_logged_in

from learning.accounts.cli import people_cli
from learning.accounts.service import record_sign_in
from learning.templating import NavItem, add_nav_item


def _signed_in(app, user, **extra):
    record_sign_in(user)


def register(app):
    add_nav_item(app, NavItem("People", "accounts.users", role="admin", order=90, prefix="/admin/users"))
    add_nav_item(app, NavItem("Teams", "accounts.teams", role="admin", order=91, prefix="/admin/teams"))
    app.cli.add_command(people_cli)
    # Flask-Login's signal fires on every sign-in, by password or any other way.
    user_logged_in.connect(_signed_in, app, weak=False)
