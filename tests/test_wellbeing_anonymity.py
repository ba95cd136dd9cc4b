"""No one's pulse reaches anyone else: coaches and admins read averages of closed rounds for
groups of five answers or more, never a smaller group, not even by subtracting the teams shown
from the programme, and never a comment that was not shared or a name."""
import itertools
import json
from datetime import timedelta

import pytest

from learning.wellbeing.aggregates import Group, suppress
from learning.progress.tables import SUPPRESSED as SUPPRESSED_TEXT
from learning.wellbeing.pages import HIDDEN

SECRET = "my manager shouted at me on tuesday"


def groups(**sizes):
    """{team id: Group} from sizes, every answer a 3; the key `none` is people without a team."""
    return {(None if name == "none" else int(name[1:])): Group(n, [3 * n] * 4) for name, n in sizes.items()}


def test_a_team_under_five_answers_is_hidden_and_so_is_a_programme_under_five():
    figures = suppress(groups(t1=4))
    assert figures.programme is None and figures.teams == {}
    figures = suppress(groups(t1=5, t2=6))
    assert set(figures.teams) == {1, 2} and figures.programme.people == 11
    figures = suppress(groups(t1=5, t2=4, t3=6))
    assert set(figures.teams) == {3} and figures.programme.people == 15


def test_the_smallest_shown_team_is_hidden_when_subtraction_would_give_away_a_small_group():
    figures = suppress(groups(t1=5, t2=6, t3=2))
    assert set(figures.teams) == {2}                  # t3 small; t1 hidden too: 13 - 6 leaves 7
    assert figures.programme.people - sum(g.people for g in figures.teams.values()) == 7
    figures = suppress(groups(t1=8, none=1))          # one person without a team is a group too
    assert figures.teams == {} and figures.programme.people == 9


def test_whatever_the_group_sizes_subtraction_never_leaves_one_to_four_answers():
    for sizes in itertools.product(range(0, 8), repeat=4):
        given = {team_id: Group(n, [n] * 4) for team_id, n in enumerate(sizes) if n}
        figures = suppress(given)
        shown = sum(g.people for g in figures.teams.values())
        assert all(g.people >= 5 for g in figures.teams.values())
        if figures.programme is not None:
            assert figures.programme.people - shown == 0 or figures.programme.people - shown >= 5, sizes
        else:
            assert sum(sizes) < 5 and not figures.teams


@pytest.fixture
def org(people, team_of, closed_round, give_answers):
    """Round `closed_round`: team Six (6 people, 4 answered, all 1s, one shared comment),
    team Seven (7 answered: 4s), team Five (5 answered: 2s, the secret unshared)."""
    six, six_people = team_of(6, "Six")
    seven, seven_people = team_of(7, "Seven")
    five, five_people = team_of(5, "Five")
    give_answers(six_people[:4], closed_round, 1)
    give_answers(six_people[:1], closed_round - timedelta(weeks=2), 1,
                 comment="small team shared words", share=True)
    give_answers(seven_people, closed_round, 4)
    give_answers(five_people[:1], closed_round, 2, comment=SECRET)
    give_answers(five_people[1:2], closed_round, 2, comment="shared among five", share=True)
    give_answers(five_people[2:], closed_round, 2)
    return {"six": six, "seven": seven, "five": five, "six_people": six_people, "five_people": five_people}


def csv_of(client, url, table):
    response = client.get(f"{url}?format=csv&table={table}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_team_of_six_where_four_answered_shows_nothing_but_hidden(people, login, org):
    client = login(people["admin"])
    team_csv = csv_of(client, f"/wellbeing/team/{org['six'].id}", "team")
    assert HIDDEN in team_csv and ",1.0" not in team_csv and ",4," not in team_csv
    teams_csv = csv_of(client, "/wellbeing/teams", "teams")
    assert "Six,no round shown yet" in teams_csv


def test_the_programme_minus_its_shown_teams_never_gives_away_the_small_team(people, login, org, closed_round):
    client = login(people["admin"])
    teams_csv = csv_of(client, "/wellbeing/teams", "teams")
    programme_csv = csv_of(client, "/wellbeing/teams", "programme")
    # Six (4 answers) is hidden; Five, the smallest shown, is hidden with it: 16 - 7 leaves 9 answers
    assert "Seven," in teams_csv and "Five,no round shown yet" in teams_csv
    assert f"{closed_round:%-d %b %Y},16," in programme_csv
    assert ",7,4.0,4.0,4.0,4.0" in teams_csv


def test_a_shown_team_reads_averages_and_shared_comments_without_names(people, login, org, team_of, give_answers,
                                                                        closed_round):
    extra, extra_people = team_of(1, "Extra")      # hidden answers now number five: Five may show
    give_answers(extra_people, closed_round, 5)
    coach = login(org["five"].coach_links[0].user)
    page = coach.get(f"/wellbeing/team/{org['five'].id}").get_data(as_text=True)
    assert "shared among five" in page
    assert SECRET not in page and org["five_people"][1].display_name not in page
    assert ",5,2.0,2.0,2.0,2.0" in csv_of(coach, f"/wellbeing/team/{org['five'].id}", "team")


def test_comments_of_a_hidden_group_and_unshared_comments_reach_no_one(people, login, org):
    for seat in ("admin", "coach_a"):
        client = login(people[seat])
        for url in ("/wellbeing/teams", f"/wellbeing/team/{org['six'].id}", f"/wellbeing/team/{org['five'].id}"):
            response = client.get(url)
            body = response.get_data(as_text=True)
            assert "small team shared words" not in body and SECRET not in body


def test_the_open_round_shows_no_figures_however_many_answered(people, login, fortnightly, team_of, give_answers):
    team, members = team_of(8, "Busy")
    give_answers(members, fortnightly.starts_on, 1, comment="open round words", share=True)
    client = login(people["admin"])
    body = client.get(f"/wellbeing/team/{team.id}").get_data(as_text=True)
    assert "open round words" not in body
    assert f"{fortnightly.starts_on:%-d %b %Y}" not in csv_of(client, f"/wellbeing/team/{team.id}", "team")
    assert f"{fortnightly.starts_on:%-d %b %Y}" not in csv_of(client, "/wellbeing/teams", "programme")


def test_an_answer_stays_with_the_team_it_was_given_in(people, login, org, closed_round):
    mover = org["six_people"][0]
    mover.team = org["seven"]
    mover.save()
    client = login(people["admin"])
    assert ",7,4.0,4.0,4.0,4.0" in csv_of(client, "/wellbeing/teams", "teams")
    assert ",7,4.0,4.0,4.0,4.0" in csv_of(client, f"/wellbeing/team/{org['seven'].id}", "team")
    assert HIDDEN in csv_of(client, f"/wellbeing/team/{org['six'].id}", "team")


@pytest.mark.parametrize("seat, status", [("agent", 403), ("other_agent", 403), ("coach_b", 404),
                                          ("coach_a", 200), ("admin", 200)])
def test_who_opens_a_teams_figures(people, login, seat, status):
    client = login(people[seat])
    team_a = people["team_a"].id
    assert client.get(f"/wellbeing/team/{team_a}").status_code == status
    assert client.get(f"/wellbeing/team/{team_a}?format=csv&table=team").status_code == status


def test_a_coach_sees_their_own_teams_and_no_programme_comments(people, login, org):
    page = login(people["coach_a"]).get("/wellbeing/teams").get_data(as_text=True)
    assert "Team A" in page and "Seven" not in page and "shared among five" not in page


def test_only_the_person_s_own_export_holds_their_answers(people, login, closed_round, give_answers):
    give_answers([people["agent"]], closed_round, 2, comment=SECRET)
    own = login(people["agent"]).get("/profile/export").get_data(as_text=True)
    assert SECRET in own and "pulse_answer" in json.loads(own)["data"]
    for seat in ("other_agent", "coach_a", "admin"):
        assert SECRET not in login(people[seat]).get("/profile/export").get_data(as_text=True)


def test_no_page_an_admin_or_coach_reads_elsewhere_names_a_pulse(people, login, closed_round, give_answers):
    give_answers([people["agent"]], closed_round, 1, comment=SECRET, share=True)
    for seat, urls in (("admin", ["/admin/audit", "/notifications", "/progress/programme",
                                  f"/progress/team/{people['team_a'].id}", "/admin/users", "/"]),
                       ("coach_a", ["/notifications", f"/progress/team/{people['team_a'].id}", "/",
                                    f"/coaching/people/{people['agent'].id}"])):
        client = login(people[seat])
        for url in urls:
            body = client.get(url).get_data(as_text=True)
            assert SECRET not in body, url
    for table in ("members", "trends", "inactive", "checkins"):
        csv = login(people["coach_a"]).get(f"/progress/team/{people['team_a'].id}?format=csv&table={table}")
        assert SECRET not in csv.get_data(as_text=True)


def test_the_demo_shows_one_team_s_trend_and_hides_the_team_where_four_of_six_answered(app, client, login):
    from learning.accounts.models import Team, User
    from tests.conftest import seed_demo

    seed_demo(app)
    orders, billing = (Team.get(Team.name == name) for name in ("Orders & Delivery", "Billing & Accounts"))
    coach = User.get(User.email == "coach@example.com")
    client.post("/login", data={"email": "admin@example.com", "password": "learning-demo"})
    orders_rows = csv_of(client, f"/wellbeing/team/{orders.id}", "team").splitlines()[1:]
    assert len(orders_rows) >= 9 and all(HIDDEN not in row for row in orders_rows)
    assert float(orders_rows[-1].split(",")[5]) > float(orders_rows[0].split(",")[5])   # support rises
    billing_rows = csv_of(client, f"/wellbeing/team/{billing.id}", "team").splitlines()[1:]
    assert billing_rows and all(HIDDEN in row for row in billing_rows)
    staying_rows = csv_of(client, f"/wellbeing/team/{orders.id}", "staying").splitlines()[1:]
    assert SUPPRESSED_TEXT not in staying_rows[-1]
    assert coach.team_id == orders.id


@pytest.mark.parametrize("closed_by_rebuild", [0, 17, 40])
def test_a_team_page_shows_exactly_what_the_whole_rule_shows_for_that_team(people, closed_by_rebuild):
    """The team page reads the rounds the rebuild stored (close_rounds) and counts the later ones
    in SQL (team_round_figures); either way every round, every team and the programme must come
    out as suppress() decides from all the groups."""
    import random
    from datetime import date

    from learning.wellbeing.aggregates import close_rounds, round_figures, team_round_figures
    from learning.wellbeing.models import PulseRoundTotal, PulseTally

    rng = random.Random(7)
    first = date(2026, 1, 2)
    days = [first + timedelta(weeks=2 * n) for n in range(40)]
    for day in days:
        for team_key in range(0, 6):   # 0: people in no team
            people_count = rng.choice([0, 1, 2, 4, 5, 5, 6, 9])
            if people_count:
                PulseTally.create(round_on=day, team_key=team_key, people=people_count,
                                  **{key: rng.randint(people_count, 5 * people_count)
                                     for key in ("workload", "hard_contacts", "allowed_to_fix", "support")})
    everything = {f.round_on: f for f in round_figures(days[0], days[-1] + timedelta(days=1))}
    large = {(t.round_on, t.team_key) for t in PulseTally.select().where(PulseTally.team_key != 0,
                                                                          PulseTally.people >= 5)}
    hidden_by_subtraction = {(day, team) for day, team in large if team not in everything[day].teams}
    assert hidden_by_subtraction and len(hidden_by_subtraction) < len(large)   # the data tries both sides
    if closed_by_rebuild:     # no rhythm: rounds that started on or before `today` are closed
        assert close_rounds(today=days[closed_by_rebuild - 1]) == closed_by_rebuild
        assert PulseRoundTotal.select().count() == closed_by_rebuild
    for team_key in range(1, 7):
        for one in team_round_figures(team_key, days[0], days[-1] + timedelta(days=1)):
            whole = everything[one.round_on]
            assert (one.programme and (one.programme.people, one.programme.sums)) == \
                (whole.programme and (whole.programme.people, whole.programme.sums))
            assert {t: (g.people, g.sums) for t, g in one.teams.items()} == \
                {t: (g.people, g.sums) for t, g in whole.teams.items() if t == team_key}, (one.round_on, team_key)


def test_the_rebuild_stores_closed_rounds_only_and_the_page_reads_them(people, login, org, closed_round,
                                                                      fortnightly, team_of, give_answers):
    from learning.progress.rebuild import rebuild
    from learning.wellbeing.aggregates import close_rounds
    from learning.wellbeing.models import PulseRoundTotal, PulseTally

    busy, members = team_of(8, "Busy")
    give_answers(members, fortnightly.starts_on, 1)                      # the open round
    PulseRoundTotal.delete().execute()
    rebuild("Europe/Berlin")
    stored = {t.round_on: t for t in PulseRoundTotal.select()}
    assert fortnightly.starts_on not in stored and closed_round in stored
    assert stored[closed_round].people == 16 and stored[closed_round].also_hidden == org["five"].id
    assert rebuild("Europe/Berlin") and PulseRoundTotal.select().count() == len(stored)   # twice: the same
    client = login(people["admin"])
    assert f"{fortnightly.starts_on:%-d %b %Y}" not in csv_of(client, f"/wellbeing/team/{busy.id}", "team")
    # the page reads the stored round: the other teams' tallies no longer matter to it
    PulseTally.delete().where(PulseTally.round_on == closed_round, PulseTally.team_key != org["seven"].id).execute()
    team_csv = csv_of(client, f"/wellbeing/team/{org['seven'].id}", "team")
    assert ",7,4.0,4.0,4.0,4.0" in team_csv
    assert f"{closed_round:%-d %b %Y},16," in csv_of(client, f"/wellbeing/team/{org['five'].id}", "programme")
    assert HIDDEN in csv_of(client, f"/wellbeing/team/{org['five'].id}", "team")
    # once the open round has closed, the next rebuild stores it too
    assert close_rounds(today=fortnightly.ends_on) == 1
    assert PulseRoundTotal.get(PulseRoundTotal.round_on == fortnightly.starts_on).people == 8
