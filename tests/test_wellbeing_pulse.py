"""The pulse: rounds on the admin's rhythm, answering once per round on the server's terms,
a person's own history, and a low answer that quietly offers help and tells no one."""
from datetime import date, timedelta

import pytest

from learning.audit.models import AuditEntry
from learning.cases.models import DebriefPrompt
from learning.coaching.models import SupportRequest
from learning.notify.models import Notification, OutboxMessage
from learning.refusals import Refused
from learning.wellbeing.models import PulseAnswer, PulseRhythm
from learning.wellbeing.pulse import answer_pulse
from learning.wellbeing.rounds import Round, round_on, set_rhythm, upcoming_rounds

GOOD = {"workload": "4", "hard_contacts": "4", "allowed_to_fix": "5", "support": "4"}


def rhythm(starts_on, every_weeks=2, active=True):
    return PulseRhythm(starts_on=starts_on, every_weeks=every_weeks, active=active)


def test_a_fortnightly_round_runs_from_its_friday_to_the_next():
    schedule = [rhythm(date(2026, 1, 2))]          # a Friday
    assert round_on(date(2026, 1, 15), schedule) == Round(date(2026, 1, 2), date(2026, 1, 16))
    assert round_on(date(2026, 1, 16), schedule) == Round(date(2026, 1, 16), date(2026, 1, 30))
    assert round_on(date(2026, 1, 1), schedule) is None


def test_a_new_rhythm_cuts_the_round_before_it_short_and_a_pause_stops_the_pulse():
    schedule = [rhythm(date(2026, 1, 2)), rhythm(date(2026, 1, 9), every_weeks=1),
                rhythm(date(2026, 2, 1), active=False)]
    assert round_on(date(2026, 1, 5), schedule) == Round(date(2026, 1, 2), date(2026, 1, 9))
    assert round_on(date(2026, 1, 20), schedule) == Round(date(2026, 1, 16), date(2026, 1, 23))
    assert round_on(date(2026, 1, 31), schedule) == Round(date(2026, 1, 30), date(2026, 2, 1))
    assert round_on(date(2026, 2, 10), schedule) is None


def test_a_rhythm_starts_tomorrow_at_the_earliest_and_replaces_only_planned_ones(app, people):
    today = date(2026, 3, 10)
    with app.test_request_context():
        with pytest.raises(Refused) as refused:
            set_rhythm(today, 2, True, people["admin"], today=today)
        assert refused.value.field == "starts_on"
        PulseRhythm.create(starts_on=date(2026, 1, 2), every_weeks=2)
        set_rhythm(date(2026, 4, 3), 2, True, people["admin"], today=today)
        set_rhythm(date(2026, 3, 20), 1, True, people["admin"], today=today)
        assert [r.starts_on for r in PulseRhythm.select().order_by(PulseRhythm.starts_on)] == [
            date(2026, 1, 2), date(2026, 3, 20)]
        assert upcoming_rounds(today, 3) == [date(2026, 3, 13), date(2026, 3, 20), date(2026, 3, 27)]


def test_an_agent_answers_the_open_round_once_with_their_team_kept(people, login, fortnightly):
    client = login(people["agent"])
    assert "This round's pulse" in client.get("/wellbeing").get_data(as_text=True)
    response = client.post("/wellbeing", data=dict(GOOD, comment="Busy but fine", share_comment="y"))
    assert response.status_code == 302
    answer = PulseAnswer.get()
    assert (answer.user_id, answer.team_id, answer.round_on) == (people["agent"].id, people["team_a"].id,
                                                                 fortnightly.starts_on)
    assert answer.values == [4, 4, 5, 4] and answer.share_comment and answer.comment == "Busy but fine"
    again = client.post("/wellbeing", data=GOOD, follow_redirects=True).get_data(as_text=True)
    assert "You have answered this round" in again and PulseAnswer.select().count() == 1


@pytest.mark.parametrize("bad", [{"workload": "0"}, {"workload": "6"}, {"support": "x"}, {"hard_contacts": ""},
                                 {"comment": "x" * 1001}])
def test_a_bad_answer_is_refused_beside_its_question_and_nothing_is_written(people, login, fortnightly, bad):
    response = login(people["agent"]).post("/wellbeing", data=dict(GOOD, **bad))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was saved" in page and 'class="error"' in page
    assert PulseAnswer.select().count() == 0


def test_no_pulse_is_taken_when_no_round_is_open(people, login):
    page = login(people["agent"]).post("/wellbeing", data=GOOD).get_data(as_text=True)
    assert "No pulse is open" in page and PulseAnswer.select().count() == 0


def test_sharing_an_empty_comment_shares_nothing(app, people, fortnightly):
    with app.test_request_context():
        answer = answer_pulse(people["agent"], {k: 3 for k in GOOD}, "  ", True)
    assert answer.comment == "" and not answer.share_comment


def test_a_low_answer_offers_help_to_the_person_and_tells_no_one(people, login, fortnightly):
    client = login(people["agent"])
    page = client.post("/wellbeing", data=dict(GOOD, hard_contacts="1"), follow_redirects=True).get_data(as_text=True)
    assert "Things sound heavy" in page and "/coaching/requests/new" in page and "/cases/new" in page
    for model in (Notification, OutboxMessage, AuditEntry, DebriefPrompt, SupportRequest):
        assert model.select().count() == 0, model.__name__
    for seat in ("coach_a", "admin", "other_agent"):
        assert "Things sound heavy" not in login(people[seat]).get("/").get_data(as_text=True)


def test_a_good_answer_offers_nothing(people, login, fortnightly):
    page = login(people["agent"]).post("/wellbeing", data=GOOD, follow_redirects=True).get_data(as_text=True)
    assert "Things sound heavy" not in page


def test_my_history_shows_my_answers_only(people, login, closed_round, give_answers):
    give_answers([people["agent"]], closed_round, [1, 2, 3, 4], comment="mine to keep")
    give_answers([people["other_agent"]], closed_round, 5, comment="a colleague's words")
    page = login(people["agent"]).get("/wellbeing").get_data(as_text=True)
    assert "mine to keep" in page and "a colleague&#39;s words" not in page
    csv = login(people["agent"]).get("/wellbeing?format=csv&table=mine").get_data(as_text=True)
    assert "mine to keep" in csv and "colleague" not in csv


def test_the_dashboard_reminds_until_the_round_is_answered(people, login, fortnightly):
    client = login(people["agent"])
    assert "Answer the pulse" in client.get("/").get_data(as_text=True)
    client.post("/wellbeing", data=GOOD)
    assert "Answer the pulse" not in client.get("/").get_data(as_text=True)


def test_an_admin_sets_the_rhythm_and_a_refusal_writes_nothing(people, login):
    client = login(people["admin"])
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = client.post("/admin/wellbeing", data={"active": "on", "every_weeks": "2", "starts_on": tomorrow})
    assert response.status_code == 302 and PulseRhythm.select().count() == 1
    for bad in ({"every_weeks": "9"}, {"starts_on": "2020-01-01"}, {"every_weeks": ""}, {"active": "maybe"}):
        page = client.post("/admin/wellbeing", data=dict({"active": "on", "every_weeks": "2", "starts_on": tomorrow},
                                                         **bad)).get_data(as_text=True)
        assert 'class="error"' in page, bad
    assert PulseRhythm.select().count() == 1
    assert login(people["coach_a"]).get("/admin/wellbeing").status_code == 403


def test_each_answer_is_counted_in_its_round_s_tally_as_a_recount_would(app, people, fortnightly, make_user):
    from learning.wellbeing.aggregates import recount_tallies
    from learning.wellbeing.models import PulseTally

    agents = [people["agent"], people["other_agent"], people["admin"]] + [
        make_user("agent", team=people["team_a"]) for _ in range(2)]
    with app.test_request_context():
        for n, agent in enumerate(agents):
            answer_pulse(agent, {"workload": 1 + n, "hard_contacts": 2, "allowed_to_fix": 3, "support": 5})
    counted = sorted(PulseTally.select(PulseTally.team_key, PulseTally.people, PulseTally.workload,
                                       PulseTally.support).tuples())
    assert counted == [(0, 1, 3, 5), (people["team_a"].id, 4, 1 + 2 + 4 + 5, 20)]
    recount_tallies()
    assert sorted(PulseTally.select(PulseTally.team_key, PulseTally.people, PulseTally.workload,
                                    PulseTally.support).tuples()) == counted


def test_a_second_answer_posted_at_the_same_moment_meets_the_unique_index_and_counts_once(
        app, people, fortnightly, monkeypatch):
    from learning.wellbeing import pulse
    from learning.wellbeing.models import PulseTally

    values = {"workload": 3, "hard_contacts": 3, "allowed_to_fix": 3, "support": 3}
    with app.test_request_context():
        answer_pulse(people["agent"], values)
        monkeypatch.setattr(pulse, "answer_for", lambda user, current: None)   # both tabs checked before either wrote
        with pytest.raises(Refused, match="answered this round already"):
            answer_pulse(people["agent"], values)
    assert PulseAnswer.select().count() == 1
    assert PulseTally.get().people == 1
