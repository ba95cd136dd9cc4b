"""The programme schedule: series, their sessions, RSVP with capacity and waitlist,
attendance and feedback. Case reviews and modules build on it."""
import click
from flask.cli import AppGroup

from learning.audit.sentences import Link, add_subject_names
from learning.db import utcnow
from learning.schedule import leavers
from learning.schedule.models import Series, Session
from learning.schedule.service import attendance_to_take, extend_horizon, next_sessions_of
from learning.templating import NavItem, Panel, add_nav_item, add_panel
from learning.wording import count_of

schedule_cli = AppGroup("schedule", help="The programme schedule.")


@schedule_cli.command("extend")
def extend_command():
    """Generate sessions of recurring series up to the rolling horizon (idempotent; run daily)."""
    click.echo(f"Schedule extended: {count_of(extend_horizon(), 'session')} added.")


def next_sessions_panel(user):
    """The dashboard's "Your next sessions" (places held and sessions run): one query."""
    return {"sessions": next_sessions_of(user.id, utcnow())}


def attendance_panel(user):
    """Facilitators: sessions they ran whose attendance is not taken yet, until it is."""
    sessions = attendance_to_take(user, utcnow())
    return {"sessions": sessions} if sessions else None


def session_names(ids):
    """The audit log's names for sessions: the series' title and the date."""
    sessions = Session.select(Session, Series).join(Series).where(Session.id.in_(list(ids)))
    return {s.id: Link(f"{s.series.title}, {s.starts_at:%d %b %Y}", f"/sessions/{s.id}") for s in sessions}


def register(app):
    add_subject_names(app, "session", session_names)
    app.cli.add_command(schedule_cli)
    leavers.connect()
    add_nav_item(app, NavItem("Sessions", "schedule.sessions", order=10, prefix="/sessions"))
    add_nav_item(app, NavItem("My schedule", "schedule.my_schedule", order=11, prefix="/my/schedule"))
    add_panel(app, Panel("schedule/panel_next.html", next_sessions_panel, order=10))
    add_panel(app, Panel("schedule/panel_attendance.html", attendance_panel, order=11))
