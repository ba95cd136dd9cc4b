"""Operations feedback items: raising one from a meetup's cases, changing its status (with
history), who may see and change it, and telling the people who raised the linked cases.

Operations leads are coaches and admins: they read every item and the operations page. An
item is raised, and its status changed, by those who run the meetup it came from (the
schedule's can_manage_session: its facilitators, its team's coaches) and by admins. The
authors of its linked cases may read it too. Every write is one transaction.
"""
import peewee as pw

from learning.accounts.models import User
from learning.cases.causes import current_causes
from learning.cases.models import AgendaItem, Case, Cause
from learning.cases.service import redacted_for_storage
from learning.cases.visibility import visible_cases
from learning.db import db, for_update, utcnow
from learning.feedback.models import STATUS_LABELS, FeedbackCase, FeedbackItem, FeedbackStatusChange
from learning.notify.service import notify
from learning.refusals import NotFound, Refused
from learning.schedule.models import Series, Session
from learning.schedule.service import can_manage_session

LINKABLE = ("scheduled", "discussed")   # on the meetup's agenda: stored text is redacted


def meetup_cases(session):
    """The cases on this meetup's agenda that an item may link, in agenda order (one query)."""
    return list(Case.select(Case.id, Case.title, Case.status, Case.cause, Case.avoidable, Case.anonymous,
                            Case.author, Case.channel)
                .join(AgendaItem, on=(AgendaItem.case == Case.id))
                .where(AgendaItem.session == session.id, Case.meetup == session.id, Case.status.in_(LINKABLE))
                .order_by(AgendaItem.position, AgendaItem.id))


def may_raise(user, session):
    return can_manage_session(user, session)


@db.atomic()
def raise_item(user, session, title, cause_id, owner, case_ids, note=""):
    """Turn one or more of a meetup's cases into an operations feedback item (status open)."""
    if not may_raise(user, session):
        raise Refused("Only the meetup's facilitator or coaches can raise operations feedback.")
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    if not ids:
        raise Refused("Choose at least one case from the agenda.", "cases")
    if set(ids) - {case.id for case in meetup_cases(session)}:
        raise Refused("Choose cases from this meetup's agenda.", "cases")
    if cause_id not in {cause.id for cause in current_causes()}:
        raise Refused("Choose a cause from the list.", "cause")
    now = utcnow()
    item = FeedbackItem.create(title=redacted_for_storage(FeedbackItem, {"title": title})["title"], cause=cause_id,
                               owner=owner.strip(), session=session, created_by=user, created_at=now, updated_at=now)
    FeedbackCase.insert_many([{"item": item.id, "case": case_id} for case_id in ids]).execute()
    _record(item, None, "open", note, user, now)
    _tell_case_authors(item, user, f"Your case was raised with {item.owner} as operations feedback: "
                                   f"\u201c{item.title}\u201d.")
    return item


def may_change_status(user, item):
    if user.is_admin:
        return True
    session = (Session.select(Session, Series).join(Series).where(Session.id == item.session_id).first()
               if item.session_id else None)
    return session is not None and can_manage_session(user, session)


@db.atomic()
def change_status(user, item_id, status, note=""):
    """Move an item to `status`, record the change and tell the linked cases' authors."""
    item = for_update(FeedbackItem.select().where(FeedbackItem.id == item_id)).first()
    if item is None or not may_view_item(user, item):
        raise NotFound()
    if not may_change_status(user, item):
        raise Refused("Only the meetup's facilitator or coaches, or an admin, can change this item's status.")
    if status not in STATUS_LABELS:
        raise Refused("Choose open, accepted, fixed or declined.", "status")
    if status == item.status:
        raise Refused(f"The item is already {STATUS_LABELS[status].lower()}.", "status")
    now = utcnow()
    _record(item, item.status, status, note, user, now)
    item.status, item.updated_at = status, now
    item.fixed_at = now if status == "fixed" else None
    item.save()
    _tell_case_authors(item, user, f"Operations feedback raised from your case, \u201c{item.title}\u201d, "
                                   f"is now {STATUS_LABELS[status].lower()}.")
    return item


def _record(item, old_status, new_status, note, user, now):
    """One line of the item's history; the note is stored redacted like every case text."""
    note = redacted_for_storage(FeedbackStatusChange, {"note": note})["note"]
    FeedbackStatusChange.create(item=item, old_status=old_status, new_status=new_status, note=note,
                                changed_by=user, changed_at=now)


def _tell_case_authors(item, changed_by, text):
    """The people who raised the linked cases, never the one who made the change."""
    authors = (Case.select(Case.author).distinct()
               .join(FeedbackCase, on=(FeedbackCase.case == Case.id))
               .where(FeedbackCase.item == item.id, Case.author != changed_by.id))
    notify([case.author_id for case in authors], "feedback", text, f"/operations/items/{item.id}")


# --- reading ----------------------------------------------------------------------------

def may_view_item(user, item):
    """Operations leads (coaches, admins), the authors of its linked cases and those who run
    the meetup it came from."""
    if user.is_coach:
        return True
    return (FeedbackCase.select().join(Case, on=(FeedbackCase.case == Case.id))
            .where(FeedbackCase.item == item.id, Case.author == user.id).exists()
            or may_change_status(user, item))


def item_or_404(user, item_id):
    item = (FeedbackItem.select(FeedbackItem, Cause).join(Cause)
            .where(FeedbackItem.id == item_id).first())
    if item is None or not may_view_item(user, item):
        raise NotFound()
    return item


def linked_cases(user, item):
    """The item's cases as peers see them: stored (redacted) title, no name when shared without
    one; a case `user` may not open (withdrawn, say) shows no title. Two queries."""
    cases = list(Case.select(Case.id, Case.title, Case.channel, Case.status, Case.anonymous, Case.author,
                             User.id, User.display_name)
                 .join(FeedbackCase, on=(FeedbackCase.case == Case.id)).switch(Case).join(User, on=Case.author)
                 .where(FeedbackCase.item == item.id).order_by(Case.id))
    ids = [case.id for case in cases]
    opens = {c.id for c in visible_cases(user).select(Case.id).where(Case.id.in_(ids))} if ids else set()
    for case in cases:
        case.may_open = case.id in opens
        case.peer_name = None if case.anonymous else case.author.display_name
    return cases


def history(item):
    return list(FeedbackStatusChange.select(FeedbackStatusChange, User)
                .join(User, pw.JOIN.LEFT_OUTER, on=(FeedbackStatusChange.changed_by == User.id))
                .where(FeedbackStatusChange.item == item.id)
                .order_by(FeedbackStatusChange.changed_at, FeedbackStatusChange.id))


def unresolved_items():
    """Open and accepted items, oldest first (a query, for paging; index status, created_at)."""
    return (FeedbackItem.select(FeedbackItem, Cause).join(Cause)
            .where(FeedbackItem.status.in_(("open", "accepted")))
            .order_by(FeedbackItem.created_at, FeedbackItem.id))
