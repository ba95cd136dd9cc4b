"""Root causes on cases: the list admins keep, and tagging a case with a cause and whether it
was avoidable (by its author, or by those who run the meetup that holds it)."""
import peewee as pw

from learning.cases.meetups import may_record_takeaways
from learning.cases.models import Case, Cause
from learning.db import db, for_update
from learning.refusals import Refused

AVOIDABLE_CHOICES = (("", "Not decided yet"), ("yes", "Avoidable"), ("no", "Not avoidable"))
AVOIDABLE_VALUES = {"": None, "yes": True, "no": False}


def current_causes():
    """The causes one may tag with now, in the list's order."""
    return list(Cause.select().where(Cause.retired == False).order_by(Cause.position, Cause.id))  # noqa: E712


def all_causes():
    return list(Cause.select().order_by(Cause.retired, Cause.position, Cause.id))


def cause_choices(keep_id=None):
    """(id, name) for a select: the current causes, and a retired one a case still carries."""
    causes = current_causes()
    choices = [(c.id, c.name) for c in causes]
    if keep_id and keep_id not in {c.id for c in causes}:
        kept = Cause.get_or_none(Cause.id == keep_id)
        if kept:
            choices.append((kept.id, f"{kept.name} (retired)"))
    return choices


def may_tag(user, case):
    """Its author, until withdrawn; those who run the meetup holding it (takeaways' rule)."""
    if case.status == "withdrawn":
        return False
    return case.author_id == user.id or may_record_takeaways(user, case)


@db.atomic()
def tag_case(user, case_id, cause_id, avoidable):
    """Set (or clear, with no cause) a case's cause and whether it was avoidable."""
    case = for_update(Case.select().where(Case.id == case_id)).first()
    if case is None or not may_tag(user, case):
        raise Refused("Only the case's author or the meetup's coaches can tag its cause.")
    if cause_id and cause_id not in {choice[0] for choice in cause_choices(case.cause_id)}:
        raise Refused("Choose a cause from the list.", "cause")
    case.cause, case.avoidable = cause_id or None, avoidable if cause_id else None
    case.save(only=[Case.cause, Case.avoidable])
    return case


# --- the list, kept by admins ----------------------------------------------------------

@db.atomic()
def save_cause(cause, name, description, retired=False):
    """Add a cause (cause None: at the end of the list) or rename, describe or retire one."""
    name = name.strip()
    clash = Cause.select().where(pw.fn.LOWER(Cause.name) == name.lower())
    if cause is not None:
        clash = clash.where(Cause.id != cause.id)
    if clash.exists():
        raise Refused("A cause with this name is already on the list.", "name")
    if cause is None:
        last = Cause.select(pw.fn.MAX(Cause.position)).scalar() or 0
        cause = Cause(position=last + 1)
    cause.name, cause.description, cause.retired = name, description.strip(), bool(retired)
    try:
        with db.atomic():   # the unique index settles two admins adding the same name at once
            cause.save()
    except pw.IntegrityError:
        raise Refused("A cause with this name is already on the list.", "name")
    return cause
