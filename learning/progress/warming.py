"""Fill the progress roll-up before anyone looks: for every team in the time zone of each
of its coaches (and of the admins), and the programme view in each admin's zone.

A page computes the months it finds missing from the roll-up on its first view of a month
(about 100 ms for a team of 50 over a year). Run `flask --app learning progress-warm`
nightly (cron, a systemd timer) and that first coach of the month finds the figures
ready; it is also safe to run at any time, as it only computes what is missing or due.
"""
from learning.accounts.models import Team, TeamCoach, User
from learning.progress.programme import programme_progress
from learning.progress.team import team_progress


def warm_rollup():
    """Compute what the team and programme views would; returns how many views were warmed."""
    admin_zones = {zone for (zone,) in User.select(User.timezone).where(User.role == "admin", User.active == True)  # noqa: E712
                   .distinct().tuples()}
    coach_zones = {}
    for team_id, zone in (TeamCoach.select(TeamCoach.team, User.timezone).join(User)
                          .where(User.active == True).tuples()):  # noqa: E712
        coach_zones.setdefault(team_id, set()).add(zone)
    warmed = 0
    for team in Team.select().order_by(Team.id):
        for zone in sorted(coach_zones.get(team.id, set()) | admin_zones):
            team_progress(team, zone, weeks=4)
            warmed += 1
    for zone in sorted(admin_zones):
        programme_progress(zone)
        warmed += 1
    return warmed
