"""Accounts: users, roles, teams and their coaches; login, setup, profile and admin of people."""
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("People", "accounts.users", role="admin", order=90, prefix="/admin/users"))
    add_nav_item(app, NavItem("Teams", "accounts.teams", role="admin", order=91, prefix="/admin/teams"))
