"""Who may see which progress: everyone their own, coaches the teams they
coach, admins every team and the programme."""
from learning.accounts.models import Team, TeamCoach
from learning.accounts.service import coached_team_ids


def may_view_team(user, team_id):
    return user.is_admin or (user.is_coach and team_id in coached_team_ids(user))


def coached_teams(user):
    """The teams `user` coaches, whose progress they open from their own page. An admin may open
    every team's, from the paged teams list rather than one button per team (a thousand at bench
    scale 10)."""
    if not user.is_coach:
        return []
    # One query, not the ids and then their teams: the "Progress" link asks on every page a coach opens.
    return list(Team.select().join(TeamCoach, on=(TeamCoach.team == Team.id)).where(TeamCoach.user == user.id)
                .order_by(Team.name))
