"""Webhooks and chat posts: admins' signed webhooks for programme events, a team's Slack and
Teams hooks for announcements and session reminders, all delivered by the mail worker."""
from learning.accounts.models import Team
from learning.audit.sentences import Link, add_subject_names
from learning.templating import NavItem, add_nav_item
from learning.webhooks.models import Endpoint
from learning.webhooks.subscribers import connect_all


def endpoint_names(ids):
    """The audit log's names for webhooks: their address, linked to their page."""
    return {e.id: Link(e.url, f"/admin/webhooks/{e.id}")
            for e in Endpoint.select(Endpoint.id, Endpoint.url).where(Endpoint.id.in_(list(ids)))}


def team_names(ids):
    """The audit log's names for teams (their chat channels changed), linked to the chat page."""
    return {t.id: Link(t.name, f"/teams/{t.id}/chat") for t in Team.select(Team.id, Team.name).where(Team.id.in_(list(ids)))}


def register(app):
    add_nav_item(app, NavItem("Webhooks", "webhooks.index", role="admin", order=94, prefix="/admin/webhooks",
                              group="Admin"))
    add_subject_names(app, "endpoint", endpoint_names)
    add_subject_names(app, "team", team_names)
    connect_all()
