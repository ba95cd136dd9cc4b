"""A coach enrols a whole team and/or chosen people in a module cohort in one action, and the
cohort as a source of people for other batch actions (`cohort_members`, `visible_cohorts`).

Each person goes through `service.enrol`'s rules (prerequisites, a second place, capacity and the
waitlist through SEATS); the whole batch is one transaction, each person a savepoint, so a refused
person is reported with the reason and does not stop the others.
"""
from dataclasses import dataclass

from learning.accounts.models import Team, User
from learning.curriculum.authoring import visible_modules
from learning.accounts.service import team_and_chosen_people
from learning.curriculum.models import Cohort, Enrolment, Module
from learning.curriculum.service import HOLDING, SEATS, enrol, utcnow
from learning.db import db
from learning.refusals import NotFound, Refused
from learning.schedule.enrolment import enrollable_people
from learning.schedule.service import plannable_teams


@dataclass
class CohortOutcome:
    """What one person got: `state` is "going", "waitlisted", "already" (held a place before) or
    "refused" (with `reason`). `position`: their number in line when waitlisted."""
    user: User
    state: str
    position: int = None
    reason: str = ""
    overridden: bool = False


def enrol_people(cohort, by, team=None, user_ids=(), override_note="", source=None):
    """Enrol a team's members, the chosen people and those of the `source` cohort in `cohort`. Returns a
    CohortOutcome per person; refuses the whole batch only when nobody could be enrolled at all."""
    if not (by.is_admin or by.is_coach):
        raise NotFound()
    teams = [t.id for t in plannable_teams(by).select(Team.id)]
    people = team_and_chosen_people(enrollable_people(by), teams, team, user_ids, members_source(by, source))
    with db.atomic():
        cohort = SEATS.lock_parent(cohort)
        refuse_closed(cohort)
        held = {e.user_id: e for e in Enrolment.select().where(
            Enrolment.cohort == cohort, Enrolment.user.in_([u.id for u in people]), Enrolment.status.in_(HOLDING))}
        result = [held_outcome(held[u.id]) if u.id in held else enrol_one(cohort, u, by, override_note)
                  for u in people]
        number_the_waitlist(cohort, result)
        return result


def refuse_closed(cohort):
    module = Module.get_by_id(cohort.module_id)
    if not module.is_published:
        raise Refused("This module is not published yet.")
    if cohort.ends_on < utcnow().date():
        raise Refused("This cohort has ended; choose a later one.")


def held_outcome(place):
    return CohortOutcome(place.user, "already", reason="going" if place.status == "going" else "waitlisted")


def enrol_one(cohort, person, by, override_note):
    try:
        with db.atomic():   # a savepoint: a refusal undoes only this person
            place = enrol(cohort, person, by=by, override_note=override_note)
    except Refused as refusal:
        return CohortOutcome(person, "refused", reason=str(refusal))
    return CohortOutcome(person, place.status, overridden=bool(place.override_note))


def number_the_waitlist(cohort, outcomes):
    """Each waitlisted person's number in line, from one query."""
    if not any(o.state == "waitlisted" or o.reason == "waitlisted" for o in outcomes):
        return
    line = [uid for (uid,) in Enrolment.select(Enrolment.user).where(
        Enrolment.cohort == cohort, Enrolment.status == "waitlisted").order_by(Enrolment.queue_number).tuples()]
    numbers = {uid: n for n, uid in enumerate(line, start=1)}
    for outcome in outcomes:
        outcome.position = numbers.get(outcome.user.id)


class CohortSource:
    """The curriculum's answer to `schedule.signals.cohort_sources`: the cohorts `by` may draw
    people from, and a chosen one's members."""

    def __init__(self, by):
        self.by = by

    @property
    def choices(self):
        return list(visible_cohorts(self.by))

    def members(self, cohort_id):
        cohort = Cohort.get_or_none(Cohort.id == cohort_id)
        if cohort is None:
            raise Refused("Choose one of the cohorts listed.", "cohort_id")
        return members_source(self.by, cohort)


def members_source(by, cohort):
    """The ids of `cohort`'s members, for `team_and_chosen_people(among=...)`; None for no cohort.
    Refuses a cohort `by` may not draw from."""
    if cohort is None:
        return None
    if not visible_cohorts(by).where(Cohort.id == cohort.id).exists():
        raise Refused("Choose one of the cohorts listed.", "cohort_id")
    return cohort_members(cohort).select(User.id)


def cohort_members(cohort):
    """The people holding a place in `cohort` (going or waitlisted), as a User query."""
    return User.select().where(User.id.in_(Enrolment.select(Enrolment.user).where(
        Enrolment.cohort == cohort, Enrolment.status.in_(HOLDING))))


def visible_cohorts(by):
    """Cohorts `by` may draw people from: those of the modules they see, not yet ended."""
    return (Cohort.select(Cohort, Module).join(Module)
            .where(Cohort.ends_on >= utcnow().date(), Cohort.module.in_(visible_modules(by).select(Module.id)))
            .order_by(Module.title, Cohort.starts_on, Cohort.id))
