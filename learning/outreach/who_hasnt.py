""""Who hasn't": a team's current members (its coaches left out) who have not signed up to a
series' coming sessions, not enrolled in (or completed) a module, not attended a session for N
weeks, or have overdue plan items; and one nudge to all of them (a notice each, an e-mail by
their preference when the coach asks for one).

Each criterion is one query over the team's members, so the list and the nudge always agree:
the nudge recomputes the list when sent and reaches exactly the people it shows then."""
from dataclasses import dataclass
from datetime import timedelta

import peewee as pw

from learning.accounts.models import User
from learning.coaching.models import Plan
from learning.coaching.service import overdue_plans
from learning.curriculum.models import Cohort, Completion, Enrolment, Module
from learning.db import db, utcnow
from learning.notify.service import notify
from learning.outreach.models import Nudge
from learning.outreach.service import current_members, require_team
from learning.refusals import Refused
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.service import HOLDING
from learning.wording import count_of

CRITERIA = {
    "series": "Not signed up to a series' coming sessions",
    "module": "Not enrolled in a module (nor completed it)",
    "attendance": "Not at any session for some weeks",
    "overdue": "With overdue plan goals or actions",
}


@dataclass(frozen=True)
class Question:
    """One "who hasn't" question about a team; `subject` is the series or module asked about."""
    criterion: str
    subject: object = None
    weeks: int = 4

    @property
    def label(self):
        if self.criterion == "series":
            return f"not signed up to {self.subject.title}"
        if self.criterion == "module":
            return f"not enrolled in {self.subject.title}"
        if self.criterion == "attendance":
            return f"not at a session for {count_of(self.weeks, 'week')}"
        return "with overdue plan items"


def series_open_to(team):
    """The rule: active series the team's members can sign up to, the team's own and programme-wide
    ones. A coach may ask about any of them (by id), whether or not the picker offers it."""
    return (Series.select(Series.id, Series.title).where(Series.active == True,  # noqa: E712
                                                       Series.team.is_null() | (Series.team == team.id))
            .order_by(Series.title))


IN_PLAY_WEEKS = 8
IN_PLAY_AT_MOST = 25


def series_in_play(team, now=None):
    """The picker's list, as (id, title) by title: the team's own active series, and the
    IN_PLAY_AT_MOST active programme-wide ones that most of its current members hold a place at
    in the next IN_PLAY_WEEKS weeks. Read from the members' places (rsvp by user and status,
    session by id), so it costs what the team's world costs, not the organisation's; anything
    else is found by title (find_series)."""
    # Scale 10 (3,000 programme-wide series), PostgreSQL, in-process: every series a member held a
    # coming place at was ~940 options and a 16 ms query; the next 8 weeks' 25 most-held make the
    # page 26 ms instead of 37 (every programme-wide series: 3,400 options, 48-56 ms).
    # A coming session's places have no attendance yet (it is recorded once a session has started):
    # reading the members' places without it, through rsvp(user_id, attendance, session_id, status),
    # skips their past places, which are most of them (scale 10, PostgreSQL: 3,160 sessions looked
    # up for team 1, 1,425 after, from the index alone: the query 6.4 -> 3.2 ms; migrations 0044-0045).
    now = now or utcnow()
    members = current_members(team).select(User.id)
    most_held = (Session.select(Session.series).join(Rsvp, on=(Rsvp.session == Session.id))
                 .where(Rsvp.user.in_(members), Rsvp.attendance.is_null(), Rsvp.status.in_(HOLDING),
                        Session.status == "scheduled",
                        Session.starts_at > now, Session.starts_at < now + timedelta(weeks=IN_PLAY_WEEKS))
                 .group_by(Session.series)
                 .order_by(pw.fn.COUNT(pw.fn.DISTINCT(Rsvp.user)).desc(), Session.series)
                 .limit(IN_PLAY_AT_MOST))
    # The ids first: with the subquery inside, PostgreSQL read every series (a scan that grows with
    # the programme: 4,000 at scale 10); with at most 25 ids it reads the two indexes.
    ids = [series_id for series_id, in most_held.tuples()]
    return (series_open_to(team).where((Series.team == team.id) | Series.id.in_(ids))
            .order_by(Series.title, Series.id).tuples())


FOUND_AT_MOST = 25


def find_series(team, text):
    """Up to FOUND_AT_MOST series open to the team whose titles hold every word of `text` (any case,
    `%` and `_` taken literally), as (id, title) by title, and whether more match."""
    words = (text or "").split()
    if not words:
        return [], False
    query = series_open_to(team)
    for word in words:
        query = query.where(Series.title.contains(word))
    found = list(query.order_by(Series.title, Series.id).limit(FOUND_AT_MOST + 1).tuples())
    return found[:FOUND_AT_MOST], len(found) > FOUND_AT_MOST


def module_choices():
    return Module.select(Module.id, Module.title).where(Module.status == "published").order_by(Module.title)


def ask(team, criterion, subject_id=None, weeks=4):
    """Check the question's parts; the series or module must be one the team can take part in."""
    if criterion not in CRITERIA:
        raise Refused("Choose what to look for.", "criterion")
    if criterion == "series":
        subject = series_open_to(team).where(Series.id == subject_id).first() if subject_id else None
        if subject is None:
            raise Refused("Choose one of the team's or the programme's series.", "series")
        return Question(criterion, subject)
    if criterion == "module":
        subject = module_choices().where(Module.id == subject_id).first() if subject_id else None
        if subject is None:
            raise Refused("Choose a published module.", "module")
        return Question(criterion, subject)
    if criterion == "attendance" and (weeks is None or not 1 <= weeks <= 52):
        raise Refused("Use 1 to 52 weeks.", "weeks")
    return Question(criterion, weeks=weeks or 4)


def _has_done(question, now):
    """The condition that a member (the outer User row) has done what the question asks about:
    EXISTS per member, so the team's ~50 members are looked up through their own rows (an
    `id NOT IN (everyone who attended lately)` hashed every attendance in the organisation:
    10,335 places and 36 ms at scale 1, ten times that at scale 10)."""
    if question.criterion == "series":
        return pw.fn.EXISTS(
            Rsvp.select(Rsvp.id).join(Session, on=(Rsvp.session == Session.id))
            .where(Rsvp.user == User.id, Rsvp.status.in_(HOLDING), Session.series == question.subject.id,
                   Session.status == "scheduled", Session.starts_at > now))
    if question.criterion == "module":
        enrolled = (Enrolment.select(Enrolment.id).join(Cohort, on=(Enrolment.cohort == Cohort.id))
                    .where(Enrolment.user == User.id, Enrolment.status.in_(HOLDING),
                           Cohort.module == question.subject.id))
        completed = Completion.select(Completion.id).where(Completion.user == User.id,
                                                           Completion.module == question.subject.id)
        return pw.fn.EXISTS(enrolled) | pw.fn.EXISTS(completed)
    if question.criterion == "attendance":
        return pw.fn.EXISTS(
            Rsvp.select(Rsvp.id).join(Session, on=(Rsvp.session == Session.id))
            .where(Rsvp.user == User.id, Rsvp.attendance == "attended",
                   Session.starts_at >= now - timedelta(weeks=question.weeks), Session.starts_at <= now))
    return None


def who_hasnt(team, question, now=None):
    """The team's current members the question finds, by name (page it)."""
    now = now or utcnow()
    members = current_members(team)
    if question.criterion == "overdue":
        found = members.where(pw.fn.EXISTS(overdue_plans(now.date()).where(Plan.employee == User.id)))
    else:
        found = members.where(~_has_done(question, now))
    return found.order_by(User.display_name, User.id)


NUDGE_TEXT = {
    "series": ("{coach} asks you to sign up for {subject}.", "/series/{id}"),
    "module": ("{coach} asks you to enrol in {subject}.", "/modules/{id}"),
    "attendance": ("{coach} misses you at the sessions: it has been {weeks}. Pick one that suits you.",
                   "/sessions"),
    "overdue": ("{coach} asks you to look at your development plan: some items are past their date.", "/coaching"),
}


@db.atomic()
def send_nudge(coach, team, question, message="", email=False):
    """Nudge everyone the question finds now; returns the Nudge logged (refused when nobody is left)."""
    require_team(coach, team)
    message = (message or "").strip()
    if len(message) > 500:
        raise Refused("Keep the message under 500 characters.", "message")
    people = list(who_hasnt(team, question))
    if not people:
        raise Refused("Nobody to nudge: everyone has done it.")
    subject = getattr(question.subject, "title", count_of(question.weeks, "week") if question.criterion == "attendance" else "")
    text, link = NUDGE_TEXT[question.criterion]
    words = text.format(coach=coach.display_name, subject=subject, weeks=count_of(question.weeks, "week"))
    words = f"{words} {message}" if message else words
    notify(people, "coaching", words[:500], link.format(id=getattr(question.subject, "id", "")),
           subject=f"A nudge from {coach.display_name}", body=words, mail=bool(email))
    return Nudge.create(team=team, author=coach, criterion=question.criterion, subject=subject[:200],
                        message=message, emailed=bool(email), reached=len(people))


def recent_nudges(team, limit=10):
    return list(Nudge.select().where(Nudge.team == team.id).order_by(Nudge.created_at.desc(), Nudge.id.desc())
                .limit(limit))
