"""Talking to the team: announcements pinned on members' dashboards, "who hasn't" lists
and nudges, for a team's coaches and admins."""
from learning.db import utcnow
from learning.outreach.service import pinned_for
from learning.templating import NavItem, Panel, add_nav_item, add_panel


def load_panel(user):
    """Dashboard: the team's pinned announcements, newest first."""
    pinned = pinned_for(user)
    return {"announcements": pinned, "now": utcnow()} if pinned else None


def register(app):
    add_nav_item(app, NavItem("My teams", "outreach.teams", role="coach", order=45, prefix="/teams"))
    add_panel(app, Panel("outreach/_panel.html", load_panel, order=5))
