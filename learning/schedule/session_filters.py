"""The filters of the upcoming-sessions list (/sessions) and the choices they offer.

The team and facilitator choices come from the viewer's own world: their team, the teams they
coach and those teams' coaches, plus whatever is chosen now. Listing every team and facilitator
of the organisation made the page grow with it (1,000 teams and 1,500 facilitators, 126 KB, at
50,000 people); the others are found by name, FOUND_LIMIT at a time.
"""
from learning.accounts.models import Team, TeamCoach, User
from learning.competencies.models import Competency
from learning.schedule.models import SeriesFacilitator

FOUND_LIMIT = 10
FIND_LENGTH = (2, 100)


def filter_choices(user, filters):
    """Competencies, and the teams and facilitators of the viewer's world (and the chosen ones)."""
    own_teams = TeamCoach.select(TeamCoach.team).where(TeamCoach.user == user.id)
    fixed = [team_id for team_id in (user.team_id, filters["team_id"]) if team_id]
    teams = list(Team.select(Team.id, Team.name).where(Team.id.in_(fixed) | Team.id.in_(own_teams))
                 .order_by(Team.name).namedtuples())
    # One IN over a UNION: with an OR beside the IN, PostgreSQL read every person.
    people = (TeamCoach.select(TeamCoach.user).where(TeamCoach.team.in_([t.id for t in teams]))
              | User.select(User.id).where(User.id == (filters["facilitator_id"] or 0)))
    facilitators = User.select(User.id, User.display_name).where(User.id.in_(people)).order_by(User.display_name)
    return {"competencies": list(Competency.select(Competency.id, Competency.name)
                                 .order_by(Competency.position).namedtuples()),
            "teams": teams, "facilitators": list(facilitators.namedtuples())}


def find_text(args):
    """The name searched for, or None when there is none or it is too short or too long to search."""
    text = " ".join((args.get("find") or "").split())
    low, high = FIND_LENGTH
    return text if low <= len(text) <= high else None


def find_teams_and_facilitators(text):
    """Teams and facilitators (people who run a series) whose names contain `text`, FOUND_LIMIT each."""
    teams = Team.select(Team.id, Team.name).where(Team.name.contains(text)).order_by(Team.name)
    # The facilitators' ids first (as many as the programme has series leaders, not people): as
    # one query, PostgreSQL matched the name against every person (60-85 ms at 50,000 people).
    runs_series = [user_id for (user_id,) in SeriesFacilitator.select(SeriesFacilitator.user).distinct().tuples()]
    people = (User.select(User.id, User.display_name)
              .where(User.id.in_(runs_series), User.display_name.contains(text), User.active == True)  # noqa: E712
              .order_by(User.display_name))
    return (list(teams.limit(FOUND_LIMIT).namedtuples()), list(people.limit(FOUND_LIMIT).namedtuples()))
