"""Command-line interface: `flask --app learning db upgrade | seed demo | create-user`.

Capabilities add their own commands from their `register(app)`.
"""
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from learning import db as database
from learning.accounts import service
from learning.accounts.models import Team
from learning.backup import backup, restore
from learning.demo import load_demo
from learning.refusals import Refused
from learning.wording import count_of

db_cli = AppGroup("db", help="Database schema.")
seed_cli = AppGroup("seed", help="Demo data.")


@db_cli.command("upgrade")
def db_upgrade():
    """Apply pending schema migrations."""
    applied = database.upgrade(progress=lambda name: click.echo(f"  applied {name}"))
    click.echo(f"Database is up to date ({count_of(len(applied), 'migration')} applied).")


@seed_cli.command("demo")
def seed_demo():
    """Load the demo programme (idempotent: a second run adds nothing)."""
    if os.environ.get("LEARNING_ENV") == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    database.upgrade()
    load_demo(progress=lambda step: click.echo(f"  {step}"))
    click.echo("Demo programme loaded. Sign in as admin@example.com, coach@example.com or "
               "agent@example.com with the password learning-demo.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["agent", "coach", "admin"]), default="agent")
@click.option("--team", default=None, help="Team name (created if missing).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, role, team, password_stdin):
    """Create a person who can sign in."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with database.db.atomic():
        team_row = None
        if team:
            team_row = Team.get_or_none(Team.name == team) or service.save_team(None, team)
        try:
            user = service.create_user(email, name, password, role=role, team=team_row,
                                       timezone=current_app.config["LEARNING_TIMEZONE"])
        except Refused as error:
            raise click.ClickException(str(error))
    click.echo(f"Created {user.display_name} <{user.email}> as {user.role}.")


def _progress_bar(label):
    state = {"shown": -1}

    def show(done, total):
        percent = int(100 * done / total) if total else 100
        if percent // 10 != state["shown"]:
            state["shown"] = percent // 10
            click.echo(f"  {label}: {percent}%")
    return show


@click.command("backup")
@click.argument("path")
def backup_command(path):
    """Write a consistent online backup of the SQLite database to PATH."""
    try:
        backup(current_app.config["DATABASE_URL"], path, _progress_bar("backup"))
    except Refused as error:
        raise click.ClickException(str(error))
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@click.argument("path")
@click.confirmation_option(prompt="Replace the whole database with this backup?")
def restore_command(path):
    """Replace the SQLite database with the backup at PATH (stop the app servers first)."""
    try:
        restore(current_app.config["DATABASE_URL"], path, _progress_bar("restore"))
    except Refused as error:
        raise click.ClickException(str(error))
    click.echo("Database restored.")


def register_cli(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(create_user_command)
