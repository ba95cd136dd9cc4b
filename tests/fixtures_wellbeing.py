"""Fixtures for wellbeing: a fortnightly pulse that started weeks ago (so rounds have closed),
and answers placed straight into closed rounds, so figures can be checked by hand."""
from datetime import timedelta

import pytest

from learning.wellbeing.aggregates import recount_tallies
from learning.wellbeing.models import QUESTION_KEYS, PulseAnswer, PulseRhythm
from learning.wellbeing.rounds import open_round, programme_today


@pytest.fixture
def fortnightly(app):
    """A pulse every two weeks from ten weeks ago; returns the open round."""
    with app.test_request_context():
        today = programme_today()
        PulseRhythm.create(starts_on=today - timedelta(weeks=10), every_weeks=2)
        return open_round(today)


@pytest.fixture
def closed_round(fortnightly):
    """The first day of the last closed round (and of the one before: closed_round - 14 days)."""
    return fortnightly.starts_on - timedelta(weeks=2)


@pytest.fixture
def give_answers():
    """give_answers(people, round day, value or [4 values], team=their team, comment="", share=False)."""
    def factory(people, round_on, values=3, team="theirs", comment="", share=False):
        values = values if isinstance(values, (list, tuple)) else [values] * len(QUESTION_KEYS)
        given = [PulseAnswer.create(user=p, team=p.team_id if team == "theirs" else team, round_on=round_on,
                                    comment=comment, share_comment=share, **dict(zip(QUESTION_KEYS, values)))
                 for p in people]
        recount_tallies()
        return given
    return factory


@pytest.fixture
def team_of(make_team, make_user):
    """team_of(n, name) -> (team, [n agents]), with a coach of its own."""
    def factory(n, name):
        team = make_team(name)
        make_user("coach", team=team, coach_of=[team], name=f"Coach of {name}")
        return team, [make_user("agent", team=team, name=f"{name} agent {i}") for i in range(n)]
    return factory
