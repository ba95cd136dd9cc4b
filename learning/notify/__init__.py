"""Notifications: the in-app centre, the mail outbox and its worker, calendar
invitations by e-mail, reminders and the daily digest."""


def unread_badge(user):
    from learning.notify.service import unread_count
    return unread_count(user)


def register(app):
    from learning.notify.cli import send_mail_command
    from learning.notify.subscribers import connect_all
    from learning.templating import NavItem, add_nav_item

    add_nav_item(app, NavItem("Notifications", "notify.index", order=90, badge=unread_badge,
                              prefix="/notifications"))
    app.cli.add_command(send_mail_command)
    connect_all()
