"""Mail about a person's account: the invitation to choose a password, the password-reset
link and, where people sign in only through single sign-on, a welcome. Accounts issue the
links (accounts/sign_in_links.py) and announce them; this writes one outbox row each, in
the same transaction. These mails carry no unsubscribe link: they are not notices a
preference turns off. The worker blanks a row's link once it is sent (outbox.py)."""
from flask import current_app

from learning.db import utcnow
from learning.notify.models import OutboxMessage
from learning.web import format_local

SECRET_LINK_KINDS = ("invitation", "password_reset")
BATCH = 500


def _invitation(user, token, expires_at):
    return ("Your invitation to Support Development",
            f"Hello {user.display_name},\n"
            "you have an account in Support Development, where your team's learning programme lives: "
            "sessions, case reviews, modules and coaching.\n"
            f"Choose your password with the link below. It works once, until "
            f"{format_local(expires_at, zone_name=user.timezone)}.\n"
            f"You sign in with this e-mail address: {user.email}",
            "invitation", f"/invitation/{token}")


def _reset(user, token, expires_at):
    return ("Reset your Support Development password",
            f"Hello {user.display_name},\n"
            f"someone asked to reset the password of {user.email}. Choose a new one with the link below. "
            f"It works once, for one hour (until {format_local(expires_at, zone_name=user.timezone)}).\n"
            "If it was not you, ignore this mail: your password stays as it is.",
            "password_reset", f"/password/reset/{token}")


def _welcome(user, token, expires_at):
    provider = current_app.config.get("OIDC_NAME") or "your organisation's single sign-on"
    return ("Welcome to Support Development",
            f"Hello {user.display_name},\n"
            "you have an account in Support Development, where your team's learning programme lives: "
            "sessions, case reviews, modules and coaching.\n"
            f"Sign in with {provider} on the page below, with your e-mail address {user.email}.",
            "welcome", "/login")


MAILS = {"invitation": _invitation, "reset": _reset, "welcome": _welcome}


def on_sign_in_links_issued(purpose, links=(), **_):
    """One outbox row per person, inserted in batches (an import invites thousands)."""
    now = utcnow()
    rows = [(user.id, user.email, now, now, *MAILS[purpose](user, token, expires_at)) for user, token, expires_at in links]
    fields = [OutboxMessage.user, OutboxMessage.to_address, OutboxMessage.created_at, OutboxMessage.due_at,
              OutboxMessage.subject, OutboxMessage.body, OutboxMessage.kind, OutboxMessage.link]
    for start in range(0, len(rows), BATCH):
        OutboxMessage.insert_many(rows[start:start + BATCH], fields=fields).execute()
