"""The programme schedule: series, their sessions, RSVP with capacity and waitlist,
attendance and feedback. Case reviews and modules build on it."""
import click
from flask.cli import AppGroup

schedule_cli = AppGroup("schedule", help="The programme schedule.")


@schedule_cli.command("extend")
def extend_command():
    """Generate sessions of recurring series up to the rolling horizon (idempotent; run daily)."""
    from learning.schedule.service import extend_horizon

    click.echo(f"Schedule extended: {extend_horizon()} session(s) added.")


def next_sessions_panel(user):
    """The dashboard's "Your next sessions": one query."""
    from learning.schedule.service import next_sessions_of

    return {"sessions": next_sessions_of(user)}


def register(app):
    from learning.templating import NavItem, Panel, add_nav_item, add_panel

    app.cli.add_command(schedule_cli)
    add_nav_item(app, NavItem("Sessions", "schedule.sessions", order=10, prefix="/sessions"))
    add_nav_item(app, NavItem("My schedule", "schedule.my_schedule", order=11, prefix="/my/schedule"))
    add_panel(app, Panel("schedule/panel_next.html", next_sessions_panel, order=10))
