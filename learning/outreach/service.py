"""Announcements: a team's coaches (and admins) write a short Markdown message to the team;
its current members get a notice (and, if the coach chooses, an e-mail by their preference)
and see it pinned on their dashboard until it expires or is withdrawn.

Who may act on a team is the schedule's rule (`plannable_teams`): admins every team, coaches
the teams they coach."""
from datetime import datetime, time, timedelta

import peewee as pw

from learning.accounts.models import Team, TeamCoach, User
from learning.db import db, utcnow
from learning.notify.service import notify
from learning.outreach.models import Announcement
from learning.outreach.signals import announced
from learning.refusals import NotFound, Refused
from learning.schedule.service import plannable_teams
from learning.timezones import to_utc

LONGEST_PIN = 90   # days
SHORT = 2000       # characters: an announcement is a short message


def may_act_on_team(user, team):
    return user.is_admin or plannable_teams(user).where(Team.id == team.id).exists()


def require_team(user, team):
    if not may_act_on_team(user, team):
        raise NotFound()


def current_members(team):
    """The team's active members, its own coaches left out (they are the ones talking)."""
    coaches = TeamCoach.select(TeamCoach.user).where(TeamCoach.team == team.id)
    return User.select().where(User.team == team.id, User.active == True, User.id.not_in(coaches))  # noqa: E712


def _expiry(author, until):
    """The last minute of the last pinned day in the author's zone, in UTC."""
    if until is None:
        raise Refused("Choose the last day it stays pinned.", "until")
    if until > utcnow().date() + timedelta(days=LONGEST_PIN):
        raise Refused(f"Pin it for at most {LONGEST_PIN} days.", "until")
    expires_at = to_utc(datetime.combine(until, time(23, 59)), author.timezone)
    if expires_at <= utcnow():
        raise Refused("The last day cannot be in the past.", "until")
    return expires_at


def _body(body):
    body = (body or "").strip()
    if not body:
        raise Refused("Write the message.", "body")
    if len(body) > SHORT:
        raise Refused(f"Keep it under {SHORT} characters: link to anything longer.", "body")
    return body


def first_line(body, length=160):
    line = next((part.strip(" #*>-") for part in body.splitlines() if part.strip(" #*>-")), "")
    return line if len(line) <= length else line[:length - 1] + "…"


@db.atomic()
def announce(author, team, body, until, email=False):
    """Post to the team and tell its current members; returns the announcement."""
    require_team(author, team)
    body, expires_at = _body(body), _expiry(author, until)
    item = Announcement.create(team=team, author=author, body=body, emailed=bool(email), expires_at=expires_at)
    notify(list(current_members(team)), "coaching", f"{author.display_name} to {team.name}: {first_line(body)}", "/",
           subject=f"{team.name}: a message from {author.display_name}", body=body, mail=bool(email))
    announced.send(item)
    return item


@db.atomic()
def withdraw(user, item):
    """Unpin it now (it stays in the team's list)."""
    require_team(user, item.team)
    if item.withdrawn_at is None:
        item.withdrawn_at = utcnow()
        Announcement.update(withdrawn_at=item.withdrawn_at).where(Announcement.id == item.id).execute()
    return item


def pinned_for(user, now=None, limit=5):
    """What the person's team has pinned now, newest first."""
    if user.team_id is None:
        return []
    now = now or utcnow()
    return list(Announcement.select(Announcement, User).join(User, pw.JOIN.LEFT_OUTER, on=(Announcement.author == User.id))
                .where(Announcement.team == user.team_id, Announcement.expires_at > now,
                       Announcement.withdrawn_at.is_null())
                .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(limit))


def team_announcements(team):
    """Every announcement to the team, newest first (page it)."""
    return (Announcement.select(Announcement, User).join(User, pw.JOIN.LEFT_OUTER, on=(Announcement.author == User.id))
            .where(Announcement.team == team.id)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc()))
