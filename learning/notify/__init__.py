"""Notifications: the in-app centre, the mail outbox and its worker, calendar
invitations by e-mail, reminders and the daily digest."""
import logging

from learning.notify.cli import send_mail_command
from learning.notify.invitations import remember_app
from learning.notify.service import unread_count
from learning.notify.subscribers import connect_all
from learning.request_log import MaskSecretsFilter
from learning.templating import BADGE_MAX, NavItem, add_nav_item


def unread_badge(user):
    return unread_count(user, most=BADGE_MAX + 1)


def mask_tokens_in_mail_log():
    """Mail written to the log (no MAIL_SERVER) shows unsubscribe links; their tokens are masked like all others."""
    target = logging.getLogger("learning.notify.mail")
    if not any(isinstance(f, MaskSecretsFilter) for f in target.filters):
        target.addFilter(MaskSecretsFilter())


def register(app):
    mask_tokens_in_mail_log()
    remember_app(app)
    add_nav_item(app, NavItem("Notifications", "notify.index", order=90, badge=unread_badge,
                              prefix="/notifications", corner=True))
    app.cli.add_command(send_mail_command)
    connect_all()
