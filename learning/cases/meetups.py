"""Case-review meetups: the queue, the agenda (order, time boxes, carry-over),
the discussion thread and the takeaways that put a case in the library."""
import peewee as pw

from learning.accounts.models import User
from learning.cases import signals
from learning.cases.models import AgendaItem, Case, Comment, MeetupSettings, Takeaway, TakeawayCompetency, Vote
from learning.cases.service import redacted_for_storage
from learning.competencies.models import Competency
from learning.db import db, for_update, utcnow
from learning.refusals import Refused
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.service import can_manage_session


def meetup_or_none(session_id):
    """The case-review session `session_id` with its series, or None."""
    return (Session.select(Session, Series).join(Series)
            .where(Session.id == session_id, Series.kind == "case_review").first())


def is_going(user, session):
    return Rsvp.select().where(Rsvp.session == session.id, Rsvp.user == user.id, Rsvp.status == "going").exists()


def can_open_meetup(user, session):
    """A meetup's queue and agenda: the people going and those who run it (the schedule's
    can_manage_session); a programme-wide meetup's also every coach."""
    if user.is_coach and session.series.team_id is None:
        return True
    return is_going(user, session) or can_manage_session(user, session)


def is_open_for_cases(session):
    return session.status == "scheduled" and session.ends_at >= utcnow()


def discussion_private(session_id):
    return MeetupSettings.select().where(MeetupSettings.session == session_id,
                                         MeetupSettings.discussion_private == True).exists()  # noqa: E712


# --- queue and agenda ---------------------------------------------------------------

def _with_votes(query):
    votes = Vote.select(pw.fn.COUNT(Vote.id)).where(Vote.case == Case.id)
    return query.select_extend(votes.alias("vote_count"))


def queue_for(session):
    """Submitted cases this meetup can take, most wanted first (a query, for paging)."""
    query = (Case.select(Case, User).join(User, on=Case.author)
             .where(Case.status == "submitted", _takes(session)))
    return _with_votes(query).order_by(pw.SQL("vote_count").desc(), Case.submitted_at, Case.id)


def _takes(session):
    team_id = session.series.team_id
    return (Case.team == team_id) if team_id else Case.id.is_null(False)


def agenda_for(session):
    """The meetup's agenda items in order, with case, author and votes (one query)."""
    query = (AgendaItem.select(AgendaItem, Case, User).join(Case).join(User, on=Case.author)
             .where(AgendaItem.session == session.id).order_by(AgendaItem.position, AgendaItem.id))
    return list(_with_votes(query))


def _refuse_unless_runner(user, session):
    if not can_manage_session(user, session):
        raise Refused("Only the meetup's facilitator or coaches can change its agenda.")


@db.atomic()
def add_to_agenda(user, session, case_id, minutes):
    _refuse_unless_runner(user, session)
    if not is_open_for_cases(session):
        raise Refused("This meetup is cancelled or over; cases go on an upcoming meetup.")
    case = for_update(Case.select().where(Case.id == case_id)).first()
    if case is None or case.status != "submitted" or not (
            session.series.team_id is None or case.team_id == session.series.team_id):
        raise Refused("This case is not in this meetup's queue.", "case_id")
    _place(case, session, minutes)
    return case


def _place(case, session, minutes):
    last = (AgendaItem.select(pw.fn.MAX(AgendaItem.position)).where(AgendaItem.session == session.id).scalar())
    AgendaItem.create(session=session, case=case, position=(last or 0) + 1, minutes=minutes)
    case.status, case.meetup, case.updated_at = "scheduled", session, utcnow()
    case.save()
    signals.case_scheduled.send(case, session=session)


def _planned_item(session, item_id):
    item = for_update(AgendaItem.select(AgendaItem, Case).join(Case)
                      .where(AgendaItem.id == item_id, AgendaItem.session == session.id)).first()
    if item is None or item.outcome != "planned":
        raise Refused("This case is no longer planned on this agenda.")
    return item


@db.atomic()
def move_item(user, session, item_id, step):
    """Swap an item with its neighbour above (step -1) or below (+1)."""
    _refuse_unless_runner(user, session)
    item = _planned_item(session, item_id)
    items = list(for_update(AgendaItem.select().where(AgendaItem.session == session.id)
                            .order_by(AgendaItem.position, AgendaItem.id)))
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            AgendaItem.update(position=position).where(AgendaItem.id == row.id).execute()


@db.atomic()
def set_time_box(user, session, item_id, minutes):
    _refuse_unless_runner(user, session)
    item = _planned_item(session, item_id)
    item.minutes = minutes
    item.save()


@db.atomic()
def remove_from_agenda(user, session, item_id):
    """Back to the queue."""
    _refuse_unless_runner(user, session)
    item = _planned_item(session, item_id)
    case = item.case
    item.delete_instance()
    case.status, case.meetup, case.updated_at = "submitted", None, utcnow()
    case.save()


def next_meetup(session):
    return (Session.select(Session, Series).join(Series)
            .where(Session.series == session.series_id, Session.status == "scheduled",
                   Session.starts_at > session.starts_at)
            .order_by(Session.starts_at).first())


@db.atomic()
def carry_over(user, session, item_id):
    """Move a planned case to the series' next meetup (end of its agenda, same time box)."""
    _refuse_unless_runner(user, session)
    item = _planned_item(session, item_id)
    following = next_meetup(session)
    if following is None:
        raise Refused("There is no later meetup in this series to carry the case over to.")
    item.outcome = "carried_over"
    item.save()
    _place(item.case, following, item.minutes)
    return following


@db.atomic()
def set_discussion_private(user, session, private):
    _refuse_unless_runner(user, session)
    settings, _ = MeetupSettings.get_or_create(session=session)
    settings.discussion_private = private
    settings.save()


# --- discussion -------------------------------------------------------------------------

def may_comment(user, case):
    """The author, people going to the meetup that holds the case, and its coaches."""
    if case.status not in ("scheduled", "discussed") or case.meetup_id is None:
        return False
    if case.author_id == user.id:
        return True
    session = meetup_or_none(case.meetup_id)
    return session is not None and (can_manage_session(user, session) or is_going(user, session))


def may_read_discussion(user, case):
    """Everyone who sees the case, unless its meetup kept the discussion private:
    then the meetup's people, the author and admins."""
    if case.meetup_id is None or not discussion_private(case.meetup_id):
        return True
    if user.is_admin or case.author_id == user.id:
        return True
    session = meetup_or_none(case.meetup_id)
    return session is not None and (can_manage_session(user, session) or is_going(user, session))


@db.atomic()
def add_comment(user, case, body):
    if not may_comment(user, case):
        raise Refused("Only the author, people going to the meetup and its coaches can join this discussion.", "body")
    body = redacted_for_storage(Comment, {"body": body.strip()})["body"]
    return Comment.create(case=case, session=case.meetup_id, author=user, body=body)


def comments_for(case):
    return list(Comment.select(Comment, User).join(User).where(Comment.case == case.id)
                .order_by(Comment.created_at, Comment.id))


# --- takeaways ----------------------------------------------------------------------------

def may_record_takeaways(user, case):
    """The meetup's facilitator or a coach who manages it (imports and corrections may record
    at any time; the page offers the form only once the meetup has begun: `takeaways_form_open`)."""
    return _managed_meetup(user, case) is not None


def takeaways_form_open(user, case):
    """The takeaways form is offered to those who record them once the meetup has begun."""
    session = _managed_meetup(user, case)
    return session is not None and session.starts_at <= utcnow()


def takeaways_open_at(user, case):
    """When someone who will record the case's takeaways may start: the meetup's start while it
    is still ahead, else None (already open, or not theirs to record)."""
    session = _managed_meetup(user, case)
    return session.starts_at if session is not None and session.starts_at > utcnow() else None


def _managed_meetup(user, case):
    if case.status not in ("scheduled", "discussed") or case.meetup_id is None:
        return None
    session = meetup_or_none(case.meetup_id)
    return session if session is not None and can_manage_session(user, session) else None


@db.atomic()
def record_takeaways(user, case, what_worked, do_differently, principle, competency_ids):
    """Record (or correct) a case's takeaways; the case is then discussed and in the library."""
    if not may_record_takeaways(user, case):
        raise Refused("Only the meetup's facilitator or coaches record its takeaways.")
    ids = list(dict.fromkeys(int(i) for i in competency_ids))
    if ids and Competency.select().where(Competency.id.in_(ids)).count() != len(ids):
        raise Refused("Choose competencies from the framework.", "competencies")
    takeaway = Takeaway.get_or_none(Takeaway.case == case) or Takeaway(case=case, recorded_by=user)
    takeaway.session = case.meetup_id
    text = redacted_for_storage(Takeaway, {"what_worked": what_worked.strip(), "do_differently": do_differently.strip(),
                                           "principle": principle.strip()})
    for key, value in text.items():
        setattr(takeaway, key, value)
    takeaway.updated_at = utcnow()
    takeaway.save()
    TakeawayCompetency.delete().where(TakeawayCompetency.takeaway == takeaway).execute()
    if ids:
        TakeawayCompetency.insert_many([{"takeaway": takeaway.id, "competency": c} for c in ids]).execute()
    first_time = case.status != "discussed"
    if first_time:
        case.status, case.discussed_at, case.updated_at = "discussed", utcnow(), utcnow()
        case.save()
        (AgendaItem.update(outcome="discussed")
         .where(AgendaItem.case == case.id, AgendaItem.session == case.meetup_id).execute())
        signals.case_discussed.send(case, session=meetup_or_none(case.meetup_id))
    return takeaway
