"""The ratings grid: a team's members in rows, the framework's competencies (or one area's) in
columns, each cell the last coach rating. Saving adds ratings for the changed cells only, to the
usual history (append-only `Rating` rows, as `ratings.rate` writes one at a time), in one
statement per batch and one audit entry.

Who: the team's coaches rate (as `access.can_coach` lets them rate each member); admins see the
grid. Anyone else gets a 404.
"""
from dataclasses import dataclass, field

import peewee as pw

from learning.accounts.models import Team, TeamCoach, User
from learning.accounts.service import coached_team_ids
from learning.audit.service import record
from learning.coaching.models import Rating
from learning.competencies.models import Competency, CompetencyLevel
from learning.db import db, utcnow
from learning.refusals import NotAllowed, Refused
from learning.wording import count_of

BATCH = 500


@dataclass
class Grid:
    team: Team
    members: list
    competencies: list
    latest: dict = field(default_factory=dict)   # {(employee id, competency id): {"coach": level, "self": level}}
    seen: int = 0                                 # the last rating entry the grid shows (0: none)

    def cells(self):
        return [(m.id, c.id) for m in self.members for c in self.competencies]

    def rows(self):
        """[(member, [(cell key "member-competency", (member id, competency id), coach level or "", self level)])]:
        what the page shows, worked out here rather than cell by cell in the template."""
        empty = {}
        return [(m, [(f"{m.id}-{c.id}", (m.id, c.id), self.latest.get((m.id, c.id), empty).get("coach", ""),
                      self.latest.get((m.id, c.id), empty).get("self")) for c in self.competencies])
                for m in self.members]


def coaches_team(user, team):
    return user.is_coach and team.id in coached_team_ids(user)


def may_view_grid(user, team):
    return user.is_admin or coaches_team(user, team)


def coached_teams(user):
    return list(Team.select().join(TeamCoach).where(TeamCoach.user == user).order_by(Team.name))


def areas():
    """The framework's areas, in the framework's order."""
    seen = {}
    for area, in Competency.select(Competency.area).order_by(Competency.position, Competency.id).tuples():
        seen.setdefault(area, None)
    return list(seen)


def team_grid(team, viewer, area=None, seen=None):
    """The grid of `team`'s active members (but the viewer: they rate themselves on their own page).
    `seen`: the grid as it was shown when the last rating entry was that one (what a coach changed is
    told from what they saw, not from what another coach saved since)."""
    in_team = User.select(User.id, User.display_name).where(
        User.team == team, User.active == True, User.id != viewer.id)  # noqa: E712
    members = list(in_team.order_by(User.display_name, User.id))
    competencies = Competency.select(Competency.id, Competency.name, Competency.area).order_by(
        Competency.position, Competency.id)
    grid = Grid(team, members, list(competencies.where(Competency.area == area) if area else competencies))
    if members and grid.competencies:
        grid.seen = Rating.select(pw.fn.MAX(Rating.id)).scalar() or 0 if seen is None else seen
        grid.latest = latest_levels(in_team.select(User.id), [c.id for c in grid.competencies], grid.seen)
    return grid


def latest_levels(employee_ids, competency_ids, seen):
    """{(employee id, competency id): {"coach": level, "self": level}}: each source's latest rating
    (by date, then entry), ranked in the database so only those rows come back. `employee_ids`: a list
    or a subquery; `seen`: the last rating entry to count."""
    rank = pw.fn.ROW_NUMBER().over(partition_by=[Rating.employee, Rating.competency, Rating.source],
                                   order_by=[Rating.rated_on.desc(), Rating.id.desc()])
    ranked = (Rating.select(Rating.employee.alias("employee_id"), Rating.competency.alias("competency_id"),
                            Rating.source, Rating.level, rank.alias("position"))
              .where(Rating.employee.in_(employee_ids), Rating.competency.in_(competency_ids), Rating.id <= seen)
              .alias("ranked"))
    rows = (pw.Select([ranked], [ranked.c.employee_id, ranked.c.competency_id, ranked.c.source, ranked.c.level])
            .where(ranked.c.position == 1).bind(db).tuples())
    latest = {}
    for employee_id, competency_id, source, level in rows:
        latest.setdefault((employee_id, competency_id), {})[source] = level
    return latest


def rate_cells(rater, grid, levels, rated_on):
    """Add a coach rating for each {(employee id, competency id): level} of `grid`. Returns how many."""
    if not coaches_team(rater, grid.team):
        raise NotAllowed("Ratings are given by the team's coaches.")
    if rated_on is None or rated_on > utcnow().date():
        raise Refused("Choose a date that is not in the future.", "rated_on")
    if not set(levels) <= set(grid.cells()):
        raise Refused("Rate the members of this team on the framework's competencies.")
    described = set(CompetencyLevel.select(CompetencyLevel.competency, CompetencyLevel.level).where(
        CompetencyLevel.competency.in_(sorted({c for _, c in levels}))).tuples()) if levels else set()
    missing = [cell for cell, level in levels.items() if (cell[1], level) not in described]
    if missing:
        raise Refused("A competency has no descriptor for that level.", cells=missing)
    rows = [{"employee": e, "competency": c, "level": level, "rated_on": rated_on, "source": "coach",
             "rater": rater.id, "created_at": utcnow()} for (e, c), level in sorted(levels.items())]
    with db.atomic():
        for offset in range(0, len(rows), BATCH):
            Rating.insert_many(rows[offset:offset + BATCH]).execute()
        if rows:
            record(rater, "rating.added", grid.team,
                   f"{grid.team.name}: {count_of(len(rows), 'coach rating')} on {rated_on} from the ratings grid "
                   f"(person, competency: level) " + ", ".join(f"{e}, {c}: {lv}" for (e, c), lv in sorted(levels.items())))
    return len(rows)
