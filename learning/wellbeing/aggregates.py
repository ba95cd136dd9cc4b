"""What coaches and admins may read of the pulse: averages per closed round, by team and for
the programme, only for groups of at least MIN_PEOPLE answers.

One rule, applied to a whole round at once so that every page shows the same cells:
- a team with fewer than MIN_PEOPLE answers is hidden (people without a team form a group too);
- the programme is hidden under MIN_PEOPLE answers;
- the programme minus the shown teams must not give away a small group: while the hidden
  answers of a round number 1 to MIN_PEOPLE - 1, the smallest shown team is hidden as well
  (complementary suppression), so what can be worked out by subtraction always covers at
  least MIN_PEOPLE people.
Shared comments are read only from shown groups, without names, in an order that says
nothing of who answered first."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import JOIN, Case, fn

from learning.db import db
from learning.progress.tables import MIN_PEOPLE
from learning.wellbeing.models import QUESTION_KEYS, PulseAnswer, PulseRoundTotal, PulseTally
from learning.wellbeing.rounds import closed_before, programme_today


@dataclass
class Group:
    people: int
    sums: list

    @property
    def averages(self):
        return [round(total / self.people, 2) for total in self.sums]


@dataclass
class RoundFigures:
    round_on: object
    programme: Group = None                      # None: hidden (or nobody answered)
    teams: dict = field(default_factory=dict)    # {team id: Group}, shown teams only
    answered: int = 0                            # answers in the round, all groups


def count_answer(answer):
    """Add one answer to its round's tally, in the answer's transaction (an upsert, so two
    answers at once both count)."""
    sums = {key: getattr(answer, key) for key in QUESTION_KEYS}
    updates = {PulseTally.people: PulseTally.people + 1}
    updates.update({getattr(PulseTally, key): getattr(PulseTally, key) + value for key, value in sums.items()})
    (PulseTally.insert(round_on=answer.round_on, team_key=answer.team_id or 0, people=1, **sums)
     .on_conflict(conflict_target=[PulseTally.round_on, PulseTally.team_key], update=updates).execute())


def recount_tallies():
    """Count every tally again from the stored answers (the demo and the bench write answers in bulk)."""
    sums = [fn.SUM(getattr(PulseAnswer, key)) for key in QUESTION_KEYS]
    team_key = fn.COALESCE(PulseAnswer.team, 0)
    with db.atomic():
        PulseTally.delete().execute()
        query = (PulseAnswer.select(PulseAnswer.round_on, team_key, fn.COUNT(PulseAnswer.id), *sums)
                 .group_by(PulseAnswer.round_on, team_key))
        fields = [PulseTally.round_on, PulseTally.team_key, PulseTally.people] + [
            getattr(PulseTally, key) for key in QUESTION_KEYS]
        PulseTally.insert_from(query, fields).execute()
        PulseRoundTotal.delete().execute()
        close_rounds()


def round_groups(since, before):
    """{round day: {team id or None: Group}} of rounds from `since` to before `before`, one query."""
    columns = [getattr(PulseTally, key) for key in QUESTION_KEYS]
    query = (PulseTally.select(PulseTally.round_on, PulseTally.team_key, PulseTally.people, *columns)
             .where(PulseTally.round_on >= since, PulseTally.round_on < before).tuples())
    result = {}
    for round_day, team_key, people, *sums in query:
        result.setdefault(round_day, {})[team_key or None] = Group(people, list(sums))
    return result


def also_hidden(total, shown_people, smallest_shown):
    """The rule against subtraction: the one shown team to hide as well, or None. While the
    answers outside shown teams number 1 to MIN_PEOPLE - 1, the smallest shown team is hidden
    too; one is always enough, as it holds MIN_PEOPLE answers or more."""
    return smallest_shown if 0 < total - shown_people < MIN_PEOPLE else None


def suppress(groups):
    """The figures a round may show, from its {team id: Group}."""
    total = sum(g.people for g in groups.values())
    shown = {team_id: g for team_id, g in groups.items() if team_id is not None and g.people >= MIN_PEOPLE}
    if total < MIN_PEOPLE:
        return RoundFigures(None, None, {}, total)
    smallest = min(shown, key=lambda team_id: (shown[team_id].people, team_id)) if shown else None
    shown.pop(also_hidden(total, sum(g.people for g in shown.values()), smallest), None)
    sums = [sum(g.sums[i] for g in groups.values()) for i in range(len(QUESTION_KEYS))]
    return RoundFigures(None, Group(total, sums), shown, total)


# (people, team) packed into one number, so that one MIN finds a round's smallest shown team
# with the lowest id among equals, as suppress() does.
_PACK = 1_000_000_000
_QUESTIONS = [getattr(PulseTally, key) for key in QUESTION_KEYS]
_TOTAL_SUMS = [getattr(PulseRoundTotal, key) for key in QUESTION_KEYS]


def _counted_rounds(since, before, team_id=0):
    """[(round day, total, sums, hidden team key or None, the team's people, its sums)] per round
    with answers, oldest first, counted from every team's tally in one GROUP BY (team 0: none)."""
    shown_team = (PulseTally.team_key != 0) & (PulseTally.people >= MIN_PEOPLE)
    mine = PulseTally.team_key == team_id
    packed = PulseTally.people.cast("BIGINT") * _PACK + PulseTally.team_key
    query = (PulseTally.select(
        PulseTally.round_on, fn.SUM(PulseTally.people), *[fn.SUM(q) for q in _QUESTIONS],
        fn.SUM(Case(None, [(shown_team, PulseTally.people)], 0)),
        fn.MIN(Case(None, [(shown_team, packed)], None)),
        fn.SUM(Case(None, [(mine, PulseTally.people)], 0)),
        *[fn.SUM(Case(None, [(mine, q)], 0)) for q in _QUESTIONS])
        .where(PulseTally.round_on >= since, PulseTally.round_on < before)
        .group_by(PulseTally.round_on).order_by(PulseTally.round_on).tuples())
    count = len(_QUESTIONS)
    for round_day, total, *rest in query:
        sums, (shown_people, smallest), (people, *team_sums) = (
            rest[:count], rest[count:count + 2], rest[count + 2:])
        hidden = also_hidden(total, shown_people, None if smallest is None else int(smallest) % _PACK)
        yield PulseTally.round_on.python_value(round_day), int(total), sums, hidden, people, team_sums


def _stored_rounds(since, before, team_id):
    """The same rows from the closed rounds' stored totals, with the team's own tally beside each
    (one index lookup per round)."""
    query = (PulseRoundTotal.select(PulseRoundTotal.round_on, PulseRoundTotal.people, *_TOTAL_SUMS,
                                    PulseRoundTotal.also_hidden, PulseTally.people, *_QUESTIONS)
             .join(PulseTally, JOIN.LEFT_OUTER, on=((PulseTally.round_on == PulseRoundTotal.round_on)
                                                    & (PulseTally.team_key == team_id)))
             .where(PulseRoundTotal.round_on >= since, PulseRoundTotal.round_on < before)
             .order_by(PulseRoundTotal.round_on).tuples())
    count = len(_QUESTIONS)
    for round_day, total, *rest in query:
        sums, hidden, people, team_sums = rest[:count], rest[count], rest[count + 1], rest[count + 2:]
        yield PulseRoundTotal.round_on.python_value(round_day), total, sums, hidden, people or 0, team_sums


def close_rounds(zones=None, today=None):
    """Store the totals of every closed round that has answers and no stored total yet (run by
    `flask progress rebuild`; `zones` is unused: rounds are programme days). Returns the rounds
    written. A closed round takes no answers, so a stored total stays right."""
    before = closed_before(today or programme_today())
    latest = PulseRoundTotal.select(fn.MAX(PulseRoundTotal.round_on)).scalar()
    since = PulseRoundTotal.round_on.python_value(latest) + timedelta(days=1) if latest else date.min
    rows = [dict(round_on=round_day, people=total, also_hidden=hidden,
                 **{key: int(value) for key, value in zip(QUESTION_KEYS, sums)})
            for round_day, total, sums, hidden, _, _ in _counted_rounds(since, before)]
    with db.atomic():
        for row in rows:
            PulseRoundTotal.insert(**row).on_conflict_ignore().execute()
    return len(rows)


def team_round_figures(team_id, since, before):
    """round_figures() as one team's page needs them (the programme and that team), one row per
    round: closed rounds' stored totals (close_rounds) and, for rounds closed since the last
    rebuild, the same rule counted from every team's tally. Adding up every tally on each view
    grew with the organisation: 26,000 rows, 27 ms of the database at scale 10 (docs/benchmark.md)."""
    stored = list(_stored_rounds(since, before, team_id))
    since_live = stored[-1][0] + timedelta(days=1) if stored else since
    result = []
    for round_day, total, sums, hidden, people, team_sums in stored + list(
            _counted_rounds(since_live, before, team_id)):
        if total < MIN_PEOPLE:
            result.append(RoundFigures(round_day, None, {}, total))
            continue
        teams = ({team_id: Group(people, [int(v) for v in team_sums])}
                 if people >= MIN_PEOPLE and hidden != team_id else {})
        result.append(RoundFigures(round_day, Group(int(total), [int(v) for v in sums]), teams, int(total)))
    return result


def round_figures(since, before):
    """[RoundFigures] of the closed rounds in [since, before), oldest first."""
    result = []
    for round_day, groups in sorted(round_groups(since, before).items()):
        figures = suppress(groups)
        figures.round_on = round_day
        result.append(figures)
    return result


def shared_comments(figures, team_id=None, limit=30):
    """[(round day, comment)] shared in the shown groups of these rounds (one team's, or every
    shown team's), newest round first; within a round sorted by text, not by who came first."""
    shown = {(f.round_on, t) for f in figures for t in f.teams if team_id is None or t == team_id}
    if not shown:
        return []
    query = (PulseAnswer.select(PulseAnswer.round_on, PulseAnswer.team, PulseAnswer.comment)
             .where(PulseAnswer.round_on.in_(sorted({day for day, _ in shown})),
                    PulseAnswer.share_comment == True, PulseAnswer.comment != "")  # noqa: E712
             .order_by(PulseAnswer.round_on.desc(), PulseAnswer.comment).tuples())
    if team_id is not None:
        query = query.where(PulseAnswer.team == team_id)
    return [(day, comment) for day, team, comment in query if (day, team) in shown][:limit]
