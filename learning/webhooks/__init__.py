"""Webhooks and chat posts: admins' signed webhooks for programme events, a team's Slack and
Teams hooks for announcements and session reminders, all delivered by the mail worker."""
from learning.templating import NavItem, add_nav_item
from learning.webhooks.subscribers import connect_all


def register(app):
    add_nav_item(app, NavItem("Webhooks", "webhooks.index", role="admin", order=94, prefix="/admin/webhooks",
                              group="Admin"))
    connect_all()
