"""Whom a progress figure is about: everyone, or a team's current members. A team's
figures are always its members of today, so a person who moves takes their history
with them (summary.py relies on it)."""
from learning.accounts.models import TeamCoach, User


def member_ids(team):
    """Query: the ids of the team's (a Team or its id) active members, its own coaches left out."""
    coaches = TeamCoach.select(TeamCoach.user).where(TeamCoach.team == team)
    return User.select(User.id).where(User.team == team, User.active == True, User.id.not_in(coaches))  # noqa: E712


def team_members(team, *fields):
    """Active members of the team (User rows of `fields`, or whole), its own coaches left out."""
    return list(User.select(*fields).where(User.id.in_(member_ids(team))).order_by(User.display_name, User.id))


def for_people(query, field, people):
    """`query` narrowed to rows whose `field` is one of `people` (ids; None: everyone)."""
    return query if people is None else query.where(field.in_(people))
