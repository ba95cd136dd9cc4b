"""Who may see which case, and whose name they see: the one place these rules live.

- Draft: the author only (a draft holds customer data as typed, so not even admins).
- Submitted or on an agenda: the author, coaches, admins, and people going to a
  meetup that can take it (an open case-review meetup of the case's team or a
  programme-wide one) or to the meetup whose agenda holds it.
- Discussed: every employee (the library).
- Withdrawn: the author and admins.
A case shared "without my name" shows its author only to the author, admins,
coaches of the author's team and the coaches who run the meetup that holds it.
"""
import peewee as pw
from flask import abort

from learning.accounts.service import coached_team_ids
from learning.cases.models import Case
from learning.db import utcnow
from learning.schedule.models import Rsvp, Series, SeriesFacilitator, Session

QUEUED = ("submitted", "scheduled")


def open_meetups_going(user):
    """Open case-review meetups `user` is going to (a query selecting their Series.team)."""
    return (Session.select(Series.team).join(Series)
            .switch(Session).join(Rsvp, on=(Rsvp.session == Session.id))
            .where(Rsvp.user == user.id, Rsvp.status == "going", Series.kind == "case_review",
                   Session.status == "scheduled", Session.ends_at >= utcnow()))


def _going_rule(user):
    team_meetups = open_meetups_going(user).where(Series.team.is_null(False))
    programme_wide = open_meetups_going(user).where(Series.team.is_null(True))
    on_their_agenda = Rsvp.select(Rsvp.session).where(Rsvp.user == user.id, Rsvp.status == "going")
    return (Case.team.in_(team_meetups) | pw.fn.EXISTS(programme_wide)
            | ((Case.status == "scheduled") & Case.meetup.in_(on_their_agenda)))


def visible_case_rule(user):
    """The WHERE condition for the cases `user` may see."""
    mine = Case.author == user.id
    if user.is_admin:
        return mine | (Case.status != "draft")
    queued = Case.status.in_(QUEUED)
    if not user.is_coach:
        queued = queued & _going_rule(user)
    return mine | (Case.status == "discussed") | queued


def visible_with_status_rule(user, statuses):
    """visible_case_rule(user) for a query already limited to `statuses`, with what those
    statuses make redundant left out (so the planner can walk an index in order); None when
    every such case is visible to `user`."""
    statuses = set(statuses)
    if statuses <= {"discussed"}:
        return None
    if statuses <= set(QUEUED):
        if user.is_admin or user.is_coach:
            return None
        return (Case.author == user.id) | _going_rule(user)
    return visible_case_rule(user)


def visible_cases(user):
    """Every case `user` may see, as a query to refine (filters, joins, paging)."""
    return Case.select().where(visible_case_rule(user))


def can_view_case(user, case):
    return visible_cases(user).where(Case.id == case.id).exists()


def visible_case_or_404(user, case_id):
    case = visible_cases(user).where(Case.id == case_id).first()
    if case is None:
        abort(404)
    return case


def _sessions_run_by(user_id):
    # A UNION, each side through its own index (an OR of the two read every session).
    led = Session.select(Session.id).where(Session.facilitator == user_id)
    series = SeriesFacilitator.select(SeriesFacilitator.series).where(SeriesFacilitator.user == user_id)
    return (led | Session.select(Session.id).where(Session.series.in_(series))).tuples()


class Viewer:
    """One person looking at cases: whose names they may see, computed once per page."""

    def __init__(self, user):
        self.user = user
        self._coached = None
        self._runs = None

    def _load(self):
        if self._coached is None:
            self._coached = set(coached_team_ids(self.user))
            self._runs = {session_id for (session_id,) in _sessions_run_by(self.user.id)}

    def sees_author(self, case):
        user = self.user
        if not case.anonymous or case.author_id == user.id or user.is_admin:
            return True
        if not user.is_coach:
            return False
        self._load()
        return case.team_id in self._coached or case.meetup_id in self._runs

    def sees_heaviness(self, case):
        """How heavy a case felt is the author's to share with those who look after them: the
        author, the meetup's facilitators, the author's team coaches and admins; not peers."""
        if case.author_id == self.user.id or self.user.is_admin:
            return True
        self._load()
        return case.meetup_id in self._runs or (self.user.is_coach and case.team_id in self._coached)

    def author_name(self, case):
        """The author's name, or None when this viewer may not know it."""
        return case.author.display_name if self.sees_author(case) else None

    def commenter_name(self, case, comment):
        if comment.author_id == case.author_id and not self.sees_author(case):
            return "The case's author"
        return comment.author.display_name
