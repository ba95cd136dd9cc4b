"""A team's chat: an optional Slack and Microsoft Teams incoming webhook per team, set by
the team's coaches and admins (outreach's `may_act_on_team`). Announcements and reminders
of the team's sessions starting within REMINDER_LEAD_HOURS are posted there too, as
deliveries the mail worker sends with retries.

Addresses are checked against the services' own hosts: Slack `hooks.slack.com`, Teams
`*.webhook.office.com` (connectors) or `*.logic.azure.com` / `*.powerplatform.com`
(Workflows). Any other host is refused, so a team's news goes only to a chat service.
Slack gets `{"text": ...}` in mrkdwn; Teams an Adaptive Card in a message, which both
Workflows and the older connectors accept."""
import json
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app

from learning.accounts.models import Team
from learning.audit.service import record
from learning.db import db, utcnow
from learning.notify.mail import absolute_url
from learning.outreach.service import require_team
from learning.refusals import Refused
from learning.schedule.models import Series, Session
from learning.web import format_local
from learning.webhooks.models import CHAT_KINDS, Delivery, Endpoint
from learning.webhooks.service import LOCAL_HOSTS, checked_url

CHAT_HOSTS = {"slack": ("hooks.slack.com",), "teams": (".webhook.office.com", ".logic.azure.com",
                                                       ".powerplatform.com")}
CHAT_NAMES = {"slack": "Slack", "teams": "Microsoft Teams"}


def checked_chat_url(kind, url):
    """"" (no hook) or the checked address of the service's own host."""
    if not (url or "").strip():
        return ""
    url = checked_url(url, kind)
    host = urlsplit(url).hostname
    if host in LOCAL_HOSTS or any(host == h or (h.startswith(".") and host.endswith(h)) for h in CHAT_HOSTS[kind]):
        return url
    raise Refused(f"This is not a {CHAT_NAMES[kind]} incoming-webhook address "
                  f"({', '.join(h.lstrip('.') for h in CHAT_HOSTS[kind])}).", kind)


def chat_hooks(team):
    """{kind: Endpoint} of the team's chat hooks."""
    return {hook.kind: hook for hook in Endpoint.select().where(Endpoint.team == team, Endpoint.kind.in_(CHAT_KINDS))}


@db.atomic()
def set_chat_hooks(user, team, urls):
    """Set the team's hooks from {kind: url}; an empty url removes that hook."""
    require_team(user, team)
    checked = {kind: checked_chat_url(kind, urls.get(kind)) for kind in CHAT_KINDS}
    current = chat_hooks(team)
    changed = []
    for kind, url in checked.items():
        hook = current.get(kind)
        if not url and hook:
            hook.delete_instance(recursive=True)
        elif url and (hook is None or hook.url != url):
            hook = hook or Endpoint(kind=kind, team=team, created_by=user)
            hook.url = url
            hook.save()
        else:
            continue
        changed.append(f"{CHAT_NAMES[kind]} {'set' if url else 'removed'}")
    if changed:
        record(user, "chat.changed", team, ", ".join(changed))
    return chat_hooks(team)


def escape_mrkdwn(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chat_body(kind, text, link_text, url):
    """The JSON a chat service takes: `text` with a link."""
    if kind == "slack":
        return json.dumps({"text": f"{escape_mrkdwn(text)}\n<{url}|{escape_mrkdwn(link_text)}>"})
    card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4", "body": [{"type": "TextBlock", "text": text, "wrap": True}],
            "actions": [{"type": "Action.OpenUrl", "title": link_text, "url": url}]}
    return json.dumps({"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]})


def post_rows(hooks, event, text, link_text, path, once_key=None):
    now, url = utcnow(), absolute_url(path)
    return [{"endpoint": hook.id, "event": event, "payload": chat_body(hook.kind, text, link_text, url),
             "once_key": once_key and f"{once_key}:{hook.id}", "created_at": now, "due_at": now} for hook in hooks]


def post_announcement(announcement):
    """Queue the announcement for the team's active chat hooks (in the announcement's transaction)."""
    hooks = [h for h in chat_hooks(announcement.team_id).values() if h.active]
    if hooks:
        author = announcement.author.display_name if announcement.author_id else "A coach"
        text = f"{author} to {announcement.team.name}:\n{announcement.body}"
        Delivery.insert_many(post_rows(hooks, "announcement", text, "Open the dashboard", "/")).execute()


def queue_chat_reminders(now=None):
    """Queue one post per team session starting within REMINDER_LEAD_HOURS and chat hook, once
    (the unique `once_key` drops a repeat, whichever worker gets there first)."""
    now = now or utcnow()
    lead = timedelta(hours=current_app.config["REMINDER_LEAD_HOURS"])
    rows = (Session.select(Session, Series, Endpoint, Team)
            .join(Series).join(Endpoint, on=(Endpoint.team == Series.team), attr="hook").join(Team)
            .where(Session.status == "scheduled", Session.starts_at > now, Session.starts_at <= now + lead,
                   Series.active == True, Endpoint.kind.in_(CHAT_KINDS), Endpoint.active == True)  # noqa: E712
            .order_by(Session.starts_at))
    posts = []
    for session in rows:
        hook, series = session.series.hook, session.series
        at = format_local(session.starts_at, zone_name=session.timezone)
        text = f"Reminder for {hook.team.name}: {series.title} starts on {at}."
        posts += post_rows([hook], "reminder", text, "See the session", f"/sessions/{session.id}",
                           once_key=f"reminder:{session.id}:{session.starts_at:%Y%m%dT%H%M}")
    if posts:
        with db.atomic():
            Delivery.insert_many(posts).on_conflict_ignore().execute()
