"""The rules of taking a module: prerequisites, enrolment (through the shared seat
mechanism), unit progress, completion (by rule or by a coach), refreshers, and
each person's status per module.

Other packages call: `enrol`, `leave`, `prerequisite_problem`, `module_status_for`,
`complete_by_coach`, `refreshers_due(users)`.
"""
import calendar
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

import peewee as pw

from learning.accounts.models import User
from learning.accounts.service import is_coach_of
from learning.curriculum.models import Cohort, Completion, Enrolment, Module, Prerequisite, Unit, UnitProgress
from learning.curriculum.signals import enrolment_changed, module_completed
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule import service as schedule
from learning.schedule.models import Rsvp, Session
from learning.schedule.seats import Seats

SEATS = Seats(Enrolment, "cohort")
COMING_DUE_DAYS = 30
HOLDING = ("going", "waitlisted")


def add_months(moment, months):
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def may_manage(by, person):
    """May `by` enrol, override for or complete on behalf of `person`? Admins, and the person's coaches."""
    return by.is_admin or is_coach_of(by, person)


# --- prerequisites and status -------------------------------------------------------

def _is_valid(completion, now):
    return completion is not None and (completion.expires_at is None or completion.expires_at > now)


def latest_completions(user, module_ids):
    """{module_id: the person's latest Completion} for these modules, one query."""
    latest = {}
    for completion in (Completion.select().where(Completion.user == user.id, Completion.module.in_(list(module_ids)))
                       .order_by(Completion.completed_at)):
        latest[completion.module_id] = completion
    return latest


def _problem(required, completion, now):
    if _is_valid(completion, now):
        return None
    if completion is not None:
        when = completion.expires_at.strftime("%d %b %Y")
        return (f"Your completion of “{required.title}” expired on {when}: refresh it first.", required)
    return (f"Complete “{required.title}” first.", required)


def prerequisite_problem(user, module, now=None):
    """None when `user` may take `module`, else (message, missing Module). Two queries."""
    now = now or utcnow()
    required = list(Module.select().join(Prerequisite, on=(Prerequisite.requires == Module.id))
                    .where(Prerequisite.module == module).order_by(Module.title))
    latest = latest_completions(user, [m.id for m in required])
    for module_required in required:
        problem = _problem(module_required, latest.get(module_required.id), now)
        if problem:
            return problem
    return None


@dataclass
class ModuleStatus:
    """One person's standing in one module. `state` is one of STATES."""
    state: str
    units_done: int = 0
    units_total: int = 0
    completion: Optional[Completion] = None
    enrolment: Optional[Enrolment] = None
    missing: Optional[Module] = None
    missing_expired: bool = False
    message: str = ""

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def percent(self):
        return round(100 * self.units_done / self.units_total) if self.units_total else 0


STATES = ("available", "locked", "enrolled", "waitlisted", "completed", "coming_due", "expired")
STATE_LABELS = {"available": "Available", "locked": "Locked", "enrolled": "Enrolled", "waitlisted": "Waitlisted",
                "completed": "Completed", "coming_due": "Refresher due soon", "expired": "Expired"}


def active_enrolments(user, module_ids):
    """{module_id: the person's going or waitlisted Enrolment not yet completed}, one query."""
    finished = Completion.select(Completion.id).where(Completion.user == user.id, Completion.cohort == Enrolment.cohort)
    query = (Enrolment.select(Enrolment, Cohort).join(Cohort)
             .where(Enrolment.user == user.id, Enrolment.status.in_(HOLDING), Cohort.module.in_(list(module_ids)),
                    ~pw.fn.EXISTS(finished)))
    return {e.cohort.module_id: e for e in query}


def module_status_for(user, modules, now=None):
    """{module_id: ModuleStatus} for `user`, in five queries whatever the number of modules."""
    now = now or utcnow()
    ids = [m.id for m in modules]
    links = list(Prerequisite.select(Prerequisite, Module).join(Module, on=(Prerequisite.requires == Module.id))
                 .where(Prerequisite.module.in_(ids)).order_by(Module.title))
    latest = latest_completions(user, set(ids) | {link.requires_id for link in links})
    enrolments = active_enrolments(user, ids)
    totals = dict(Unit.select(Unit.module, pw.fn.COUNT(Unit.id)).where(Unit.module.in_(ids)).group_by(Unit.module).tuples())
    done = dict(Unit.select(Unit.module, pw.fn.COUNT(Unit.id)).join(UnitProgress)
                .where(UnitProgress.user == user.id, Unit.module.in_(ids)).group_by(Unit.module).tuples())
    required = {}
    for link in links:
        required.setdefault(link.module_id, []).append(link.requires)
    result = {}
    for module_id in ids:
        status = _state(module_id, enrolments.get(module_id), latest.get(module_id), required.get(module_id, []),
                        latest, now)
        status.units_total, status.units_done = totals.get(module_id, 0), done.get(module_id, 0)
        result[module_id] = status
    return result


def _state(module_id, enrolment, completion, required, latest, now):
    if enrolment is not None:
        state = "enrolled" if enrolment.status == "going" else "waitlisted"
        return ModuleStatus(state, enrolment=enrolment, completion=completion)
    if _is_valid(completion, now):
        due = completion.expires_at is not None and completion.expires_at <= now + timedelta(days=COMING_DUE_DAYS)
        return ModuleStatus("coming_due" if due else "completed", completion=completion)
    for module_required in required:
        problem = _problem(module_required, latest.get(module_required.id), now)
        if problem:
            return ModuleStatus("locked", completion=completion, missing=problem[1], message=problem[0],
                                missing_expired=module_required.id in latest)
    return ModuleStatus("expired" if completion is not None else "available", completion=completion)


# --- enrolment ------------------------------------------------------------------------

def enrol(cohort, user, by=None, override_note=None, today=None):
    """Give `user` a place in `cohort` (going, or waitlisted when full). `by` is who enrols
    them (None: themselves). A missing prerequisite refuses, unless `by` coaches the
    person (or is an admin) and writes `override_note`, which the enrolment keeps."""
    today = today or utcnow().date()
    note = (override_note or "").strip()
    acting = by or user
    with db.atomic():
        cohort = SEATS.lock_parent(cohort)
        module = cohort.module
        if acting.id != user.id and not may_manage(acting, user):
            raise Refused("You can only enrol people you coach.")
        if not module.is_published:
            raise Refused("This module is not published yet.")
        if cohort.ends_on < today:
            raise Refused("This cohort has ended; choose a later one.")
        _refuse_second_place(cohort, module, user, acting)
        problem = prerequisite_problem(user, module)
        if problem and not (note and acting.id != user.id):
            missing = problem[1]
            link = ("curriculum.module", {"module_id": missing.id}, f"Open “{missing.title}”")
            if acting.id != user.id:
                raise Refused(problem[0] + " To enrol them anyway, write a note saying why.",
                              "override_note", missing=missing, link=link)
            raise Refused(problem[0], missing=missing, link=link)
        old = Enrolment.get_or_none(Enrolment.cohort == cohort, Enrolment.user == user)
        place = SEATS.claim(cohort, user, enrolled_by=acting, override_note=note if problem else "")
        announce(place, old.status if old else None)
        return place


def announce(enrolment, old_status, promoted=False):
    """Bring the participant's session places in step and send curriculum.enrolment-changed."""
    sync_session_places(enrolment)
    enrolment_changed.send(enrolment, old_status=old_status, promoted=promoted)


def sync_session_places(enrolment):
    """A going participant holds a place at each upcoming session of the cohort (so the
    sessions show in their calendar and on the attendance sheet); anyone else holds none."""
    cohort = Cohort.get_by_id(enrolment.cohort_id)
    if cohort.series_id is None:
        return
    upcoming = list(sessions_of(cohort).where(Session.starts_at > utcnow()))
    places = {p.session_id: p for p in Rsvp.select().where(
        Rsvp.user == enrolment.user_id, Rsvp.session.in_([s.id for s in upcoming]))}
    for session in upcoming:
        place = places.get(session.id)
        holding = place is not None and place.status in HOLDING
        if enrolment.status == "going" and not holding:
            schedule.claim_place(session, enrolment.user)
        elif enrolment.status != "going" and holding:
            schedule.release_place(place)


def _refuse_second_place(cohort, module, user, acting):
    who = "You are" if acting.id == user.id else f"{user.display_name} is"
    current = active_enrolments(user, [module.id]).get(module.id)
    if current is not None:
        where = "this cohort" if current.cohort_id == cohort.id else f"“{current.cohort.title}”"
        listed = "waitlisted for" if current.status == "waitlisted" else "enrolled in"
        raise Refused(f"{who} already {listed} {where}.")
    completion = latest_completions(user, [module.id]).get(module.id)
    now = utcnow()
    if _is_valid(completion, now) and (completion.expires_at is None
                                       or completion.expires_at > now + timedelta(days=COMING_DUE_DAYS)):
        raise Refused(f"{who} already done with this module (completed "
                              f"{completion.completed_at.strftime('%d %b %Y')}).")


def leave(enrolment, by=None):
    """Give up a place; the first on the waitlist moves up. Unit progress is kept."""
    acting = by or enrolment.user
    with db.atomic():
        if acting.id != enrolment.user_id and not may_manage(acting, enrolment.user):
            raise Refused("You can only change the enrolments of people you coach.")
        old_status = Enrolment.get_by_id(enrolment.id).status
        if old_status not in HOLDING:
            raise Refused("There is no place to give up.")
        promoted = SEATS.release(enrolment)
        announce(Enrolment.get_by_id(enrolment.id), old_status)
        for place in promoted:
            announce(place, "waitlisted", promoted=True)
        return promoted


def units_done_ids(user, module):
    return {row.unit_id for row in UnitProgress.select(UnitProgress.unit).join(Unit)
            .where(UnitProgress.user == user, Unit.module == module)}


def cohort_place(user, cohort):
    return Enrolment.get_or_none(Enrolment.cohort == cohort, Enrolment.user == user)


# --- progress and completion ------------------------------------------------------------

def tick_unit(user, unit, done=True):
    """Mark a unit done (or not) for an enrolled participant; completes the module when the
    rule is met. Returns the new Completion or None."""
    with db.atomic():
        enrolment = active_enrolments(user, [unit.module_id]).get(unit.module_id)
        if enrolment is None or enrolment.status != "going":
            raise Refused("Enrol in a cohort of this module to tick off its units.")
        if not done:
            UnitProgress.delete().where(UnitProgress.user == user, UnitProgress.unit == unit).execute()
            return None
        if not UnitProgress.select().where(UnitProgress.user == user, UnitProgress.unit == unit).exists():
            try:
                with db.atomic():
                    UnitProgress.create(user=user, unit=unit)
            except pw.IntegrityError:
                pass  # a second click in a race: already ticked
        return complete_if_rule_met(user, enrolment.cohort)


def sessions_of(cohort):
    """The cohort's sessions that count (not cancelled)."""
    if cohort.series_id is None:
        return Session.select().where(Session.id.is_null())
    return Session.select().where(Session.series == cohort.series_id, Session.status != "cancelled")


def rule_progress(user, cohort):
    """(units done, units total, sessions attended, sessions total) for one participant."""
    units_total = Unit.select().where(Unit.module == cohort.module_id).count()
    units_done = (UnitProgress.select().join(Unit)
                  .where(UnitProgress.user == user, Unit.module == cohort.module_id).count())
    sessions = sessions_of(cohort)
    attended = (Rsvp.select().where(Rsvp.user == user, Rsvp.attendance == "attended",
                                    Rsvp.session.in_(sessions.select(Session.id))).count())
    return units_done, units_total, attended, sessions.count()


def complete_if_rule_met(user, cohort, now=None):
    """All units done and every session of the cohort attended: record the completion."""
    if Completion.select().where(Completion.user == user, Completion.cohort == cohort).exists():
        return None
    units_done, units_total, attended, sessions_total = rule_progress(user, cohort)
    if units_done < units_total or attended < sessions_total or units_total + sessions_total == 0:
        return None
    return _record_completion(user, cohort.module, cohort, "rule", "", None, now)


def complete_by_coach(user, module, by, note, now=None):
    """A coach (of the person) or admin marks the module complete, with a note saying why."""
    note = (note or "").strip()
    with db.atomic():
        if not may_manage(by, user):
            raise Refused("You can only mark modules complete for people you coach.")
        if not note:
            raise Refused("Write a note saying why the module is complete.", "note")
        enrolment = active_enrolments(user, [module.id]).get(module.id)
        return _record_completion(user, module, enrolment.cohort if enrolment else None, "coach", note, by, now)


def _record_completion(user, module, cohort, method, note, by, now):
    now = now or utcnow()
    expires = add_months(now, module.validity_months) if module.validity_months else None
    completion = Completion.create(user=user, module=module, cohort=cohort, completed_at=now, expires_at=expires,
                                   method=method, note=note, recorded_by=by)
    module_completed.send(completion)
    return completion


def complete_after_attendance(session, rsvps=(), **extra):
    """Subscriber to schedule.attendance-recorded: attendance may complete a cohort's participants."""
    cohorts = list(Cohort.select().where(Cohort.series == session.series_id))
    attended = [r.user_id for r in rsvps if r.attendance == "attended"]
    for cohort in cohorts:
        going = (User.select().join(Enrolment, on=(Enrolment.user == User.id))
                 .where(Enrolment.cohort == cohort, Enrolment.status == "going", User.id.in_(attended)))
        for user in going:
            complete_if_rule_met(user, cohort)


# --- refreshers -----------------------------------------------------------------------

def refreshers_due(user_ids, now=None, days=COMING_DUE_DAYS, limit=None):
    """Latest completions of these people that expire within `days` or have expired, with
    module and person (ids, title and name: what the panels show), soonest first, at most
    `limit` (one query)."""
    people = user_ids if isinstance(user_ids, pw.Query) else list(user_ids)
    newer = Completion.alias()
    later = newer.select(newer.id).where(newer.user == Completion.user, newer.module == Completion.module,
                                         newer.completed_at > Completion.completed_at)
    until = (now or utcnow()) + timedelta(days=days)
    columns = (Completion.id, Completion.user, Completion.module, Completion.expires_at, Module.id, Module.title,
               User.id, User.display_name)
    return list(Completion.select(*columns).join(Module).switch(Completion).join(User)
                .where(Completion.user.in_(people), Completion.expires_at.is_null(False),
                       Completion.expires_at <= until, ~pw.fn.EXISTS(later))
                .order_by(Completion.expires_at).limit(limit))
