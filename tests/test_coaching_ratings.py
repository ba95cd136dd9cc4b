"""Ratings: 1-5 from the framework, self or coach, dated, with evidence; never overwritten."""
from datetime import timedelta

import pytest

from learning.coaching.models import Rating
from learning.coaching.ratings import rate, rating_history
from learning.db import utcnow
from learning.refusals import Refused


def test_self_and_coach_ratings_are_all_kept_as_history(client, login, people, competencies):
    today = utcnow().date()
    login(people["agent"])
    client.post(f"/coaching/people/{people['agent'].id}/ratings", data={
        "competency": competencies[0].id, "level": 2, "rated_on": (today - timedelta(days=30)).isoformat()})
    client.post(f"/coaching/people/{people['agent'].id}/ratings", data={
        "competency": competencies[0].id, "level": 3, "rated_on": today.isoformat(), "evidence": "Calmer calls"})
    login(people["coach_a"])
    client.post(f"/coaching/people/{people['agent'].id}/ratings", data={
        "competency": competencies[0].id, "level": 3, "rated_on": today.isoformat(), "evidence_url": "/sessions/4"})
    rows = [(r.source, r.level) for r in Rating.select().order_by(Rating.id)]
    assert rows == [("self", 2), ("self", 3), ("coach", 3)]
    [(competency, history)] = rating_history(people["agent"])
    assert competency.id == competencies[0].id and [r.level for r in history] == [2, 3, 3]
    page = client.get(f"/coaching/people/{people['agent'].id}").get_data(as_text=True)
    assert "Calmer calls" in page and 'href="/sessions/4"' in page


@pytest.mark.parametrize("level", [0, 6])
def test_a_level_outside_one_to_five_is_refused(people, competencies, level):
    with pytest.raises(Refused, match="1 to 5"):
        rate(people["agent"], people["agent"], competencies[0].id, level, utcnow().date())
    assert Rating.select().count() == 0


def test_a_future_date_or_a_bad_link_is_refused(client, login, people, competencies):
    login(people["agent"])
    url = f"/coaching/people/{people['agent'].id}/ratings"
    response = client.post(url, data={"competency": competencies[0].id, "level": 3,
                                      "rated_on": (utcnow().date() + timedelta(days=2)).isoformat()})
    assert response.status_code == 400 and "not in the future" in response.get_data(as_text=True)
    response = client.post(url, data={"competency": competencies[0].id, "level": 3,
                                      "rated_on": utcnow().date().isoformat(), "evidence_url": "javascript:x"})
    assert "Link to a session" in response.get_data(as_text=True)
    assert Rating.select().count() == 0


def test_nobody_else_can_add_ratings_for_a_person(client, login, people, competencies):
    data = {"competency": competencies[0].id, "level": 3, "rated_on": utcnow().date().isoformat()}
    for who in ("other_agent", "coach_b", "admin"):
        login(people[who])
        assert client.post(f"/coaching/people/{people['agent'].id}/ratings", data=data).status_code == 404
    assert Rating.select().count() == 0
