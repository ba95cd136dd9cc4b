"""The audit log: who changed what, when, for sensitive changes (roles,
deactivations, plans, ratings, attendance edits, calendar tokens). Admins read it."""
from learning.audit import subscribers
from learning.templating import NavItem, add_nav_item


def register(app):
    subscribers.connect()
    add_nav_item(app, NavItem("Audit log", "audit.index", role="admin", order=95, prefix="/admin/audit", group="Admin"))
