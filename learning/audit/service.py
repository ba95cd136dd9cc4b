"""Recording sensitive changes. Call `record` inside the transaction of the change,
so an undone change leaves no entry."""
from flask import has_request_context
from flask_login import current_user
from peewee import JOIN

from learning.accounts.models import User
from learning.audit.models import AuditEntry


def current_actor():
    """The signed-in person making the request, or None (the CLI, a worker)."""
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(actor, action, subject, summary=""):
    """`action` like "user.role-changed"; `subject` a model instance (or None)."""
    return AuditEntry.create(
        actor=getattr(actor, "id", None), action=action,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None), summary=summary[:2000])


def entries_query(action_prefix=""):
    query = (AuditEntry.select(AuditEntry, User)
             .join(User, on=(AuditEntry.actor == User.id), join_type=JOIN.LEFT_OUTER))
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
