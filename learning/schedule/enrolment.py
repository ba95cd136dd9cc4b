"""Places at a whole series at once: a coach enrols a team or chosen people in every future
session of a series; a person joins every future session, or leaves all of them, in one action.

Members are remembered (SeriesMember), so the sessions a series gains later give them a place
too (`service.give_members_places`). Seats follow the one rule of `seats.py`
(`SEATS.claim_many` / `release_many`): set-based, in one transaction, parents locked in id order,
so bulk enrolment and single RSVPs at the same moment never overbook.
"""
from dataclasses import dataclass

from learning.accounts.models import Team, User
from learning.accounts.service import team_and_chosen_people
from learning.db import db, utcnow
from learning.refusals import NotFound, Refused
from learning.schedule import signals
from learning.schedule.models import Rsvp, SeriesMember
from learning.schedule.service import (HOLDING, SEATS, announce_promotions, can_manage_series, future_sessions,
                                       may_take_place, plannable_teams, waitlist_positions)


@dataclass
class Outcome:
    """What one person got at a series' future sessions."""
    user: User
    going: int = 0
    waiting: int = 0
    kept: int = 0                  # places they held already, left as they were
    first_wait: object = None      # the first session where they wait
    position: int = None           # their number in that session's waitlist


def enrollable_people(by):
    """The people `by` may enrol: active members of the teams they may plan for (admins: everyone in a team)."""
    teams = plannable_teams(by).select(Team.id).order_by()
    return (User.select(User, Team).join(Team).where(User.active == True, User.team.in_(teams))  # noqa: E712
            .order_by(User.display_name, User.id))


def enrol_in_series(series, by, team=None, user_ids=(), cohort_id=None):
    """Give a team's members, the chosen people and those of a module cohort (`cohort_id`) a place at
    every future session of `series` (seats while they last, then the waitlist, in name order).
    Returns an Outcome per person."""
    if not can_manage_series(by, series):
        raise NotFound()
    teams = [t.id for t in plannable_teams(by).select(Team.id)]
    among = cohort_source(by).members(cohort_id) if cohort_id else None
    people = team_and_chosen_people(enrollable_people(by), teams, team, user_ids, among)
    with db.atomic():
        sessions = list(future_sessions(series))
        if not sessions:
            raise Refused("This series has no future sessions to enrol in.")
        given = SEATS.claim_many(sessions, people)   # locks the sessions first: members are added behind it
        add_members(series, people, by)
        newly = sorted({uid for places in given.values() for uid, _, previous in places if previous not in HOLDING})
        signals.series_enrolled.send(series, user_ids=newly, by=by)
        return outcomes(people, sessions, given)


def cohort_source(by):
    """The module cohorts `by` may draw people from, as the curriculum answers (`signals.cohort_sources`);
    none when no package answers."""
    answers = [answer for _, answer in signals.cohort_sources.send(by)]
    return answers[0] if answers else NO_COHORTS


class NoCohorts:
    choices = []

    def members(self, cohort_id):
        raise Refused("Choose one of the cohorts listed.", "cohort_id")


NO_COHORTS = NoCohorts()


def join_series(series, user):
    """A person takes a place at every future session of `series` open for RSVP. Returns their Outcome."""
    with db.atomic():
        sessions = [s for s in future_sessions(series) if not s.rsvp_closed]
        if not sessions:
            raise Refused("This series has no future sessions open for RSVP.")
        sessions[0].series = series
        if not may_take_place(user, sessions[0]):
            raise Refused("This series is for its team: a coach of the team can add you.")
        given = SEATS.claim_many(sessions, [user])
        add_members(series, [user], user)
        return outcomes([user], sessions, given)[0]


def leave_series(series, user):
    """Give up every future place at `series` in one action; freed seats go to the first in line.
    Returns how many places were given up."""
    with db.atomic():
        count, promoted = SEATS.release_many(list(future_sessions(series)), user)
        left = SeriesMember.delete().where(SeriesMember.series == series, SeriesMember.user == user).execute()
        if not (count or left):
            raise Refused("You have no places at this series' future sessions.")
        announce_promotions(promoted)
        return count


def is_member(series, user):
    return SeriesMember.select().where(SeriesMember.series == series, SeriesMember.user == user).exists()


def add_members(series, people, by):
    known = set(SeriesMember.select(SeriesMember.user).where(
        SeriesMember.series == series, SeriesMember.user.in_([u.id for u in people])).tuples())
    rows = [{"series": series.id, "user": u.id, "added_by": by.id, "created_at": utcnow()}
            for u in people if (u.id,) not in known]
    for offset in range(0, len(rows), 500):
        SeriesMember.insert_many(rows[offset:offset + 500]).execute()


def outcomes(people, sessions, given):
    """An Outcome per person, in the order given, from SEATS.claim_many's answer (sessions in time order)."""
    result = {u.id: Outcome(u) for u in people}
    for session in sessions:
        for user_id, status, previous in given.get(session.id, []):
            outcome = result[user_id]
            if previous in HOLDING:
                outcome.kept += 1
            elif status == "going":
                outcome.going += 1
            else:
                outcome.waiting += 1
                outcome.first_wait = outcome.first_wait or session
    waits = {(o.first_wait.id, o.user.id): o for o in result.values() if o.first_wait}
    if waits:
        places = [p for p in Rsvp.select().where(Rsvp.session.in_(sorted({s for s, _ in waits})),
                                                 Rsvp.user.in_(sorted({u for _, u in waits})))
                  if (p.session_id, p.user_id) in waits]
        positions = waitlist_positions(places)
        for place in places:
            waits[(place.session_id, place.user_id)].position = positions.get(place.id)
    return list(result.values())
