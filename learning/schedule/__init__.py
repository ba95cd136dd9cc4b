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


def register(app):
    app.cli.add_command(schedule_cli)
