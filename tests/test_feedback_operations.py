"""The operations page (coaches and admins): causes by month, the share marked avoidable, open
items with their age, items fixed per quarter, each table as CSV; a fixed number of queries."""
import csv
import io
from datetime import timedelta

import pytest

from learning.cases import causes
from learning.cases.models import Case
from learning.db import utcnow
from learning.feedback import figures, service
from learning.feedback.models import CauseMonthCount, FeedbackItem
from learning.progress.rebuild import rebuild
from learning.progress.summary import max_age
from tests.fixtures_feedback import cause_id


def tagged(make_case, author, cause, avoidable, **changes):
    case = make_case(author, **changes)
    if cause:
        causes.tag_case(author, case.id, cause_id(cause), avoidable)
    return case


def row(table, name):
    return next(r for r in table.rows if r[0] == name)


def test_causes_by_month_count_submitted_cases_and_the_avoidable_share(app, make_case, people):
    tagged(make_case, people["agent"], "Policy", True)
    tagged(make_case, people["agent"], "Policy", False)
    tagged(make_case, people["agent_b"], "Tooling", True)
    tagged(make_case, people["agent_b"], None, None)                       # not tagged: not counted
    draft = tagged(make_case, people["agent"], "Policy", True, status="draft")
    withdrawn = tagged(make_case, people["agent"], "Policy", True)
    from learning.cases.service import withdraw_case
    withdraw_case(people["agent"], withdrawn)
    old = tagged(make_case, people["agent"], "Policy", True)
    Case.update(submitted_at=utcnow() - timedelta(days=60)).where(Case.id == old.id).execute()
    assert draft.status == "draft"
    table, chart, _ = figures.causes_by_month("Europe/Berlin")
    policy = row(table, "Policy")
    assert policy[-3] == 2 and policy[-2] == 3 and policy[-1] == pytest.approx(66.7)   # this month, total, share
    assert row(table, "Tooling")[-3:] == [1, 1, 100.0]
    assert row(table, "All causes")[-3:] == [3, 4, 75.0]
    assert row(table, "Knowledge gap")[-2:] == [0, None]
    assert chart.table.rows[-1][1] == pytest.approx(66.7)


def test_fixed_items_count_in_their_quarter_and_a_reopened_one_does_not(raised_item, people):
    service.change_status(people["admin"], raised_item.id, "fixed")
    table = figures.fixed_per_quarter("Europe/Berlin")
    assert len(table.rows) == 8 and table.rows[-1][1] == 1 and sum(r[1] for r in table.rows) == 1
    service.change_status(people["admin"], raised_item.id, "open")
    assert sum(r[1] for r in figures.fixed_per_quarter("Europe/Berlin").rows) == 0


def test_an_item_fixed_two_quarters_ago_counts_there(raised_item):
    FeedbackItem.update(status="fixed", fixed_at=utcnow() - timedelta(days=190)).execute()
    rows = figures.fixed_per_quarter("Europe/Berlin").rows
    assert sum(r[1] for r in rows) == 1 and rows[-1][1] == 0


def test_the_page_shows_open_items_oldest_first_with_their_age(raised_item, feedback_meetup, login, people):
    newer = service.raise_item(people["coach_a"], feedback_meetup["session"], "A newer item", cause_id("Process"),
                               "Logistics", [feedback_meetup["cases"][1].id])
    FeedbackItem.update(created_at=utcnow() - timedelta(days=12)).where(FeedbackItem.id == raised_item.id).execute()
    service.change_status(people["admin"], newer.id, "declined")
    html = login(people["coach_b"]).get("/operations").get_data(as_text=True)
    assert "Let agents refund up to 50 EUR" in html and "A newer item" not in html
    assert '<td class="num" data-label="Age (days)">12</td>' in html
    assert "Edit the list of causes" not in html
    assert "Edit the list of causes" in login(people["admin"]).get("/operations").get_data(as_text=True)


@pytest.mark.parametrize("seat, status", [("agent", 403), ("coach_b", 200), ("admin", 200)])
def test_operations_leads_are_coaches_and_admins(login, people, seat, status):
    assert login(people[seat]).get("/operations").status_code == status
    assert login(people[seat]).get("/operations?format=csv&table=causes").status_code == status


def test_the_csv_holds_what_the_page_shows(make_case, login, people):
    tagged(make_case, people["agent"], "Staffing pressure", True)
    response = login(people["coach_a"]).get("/operations?format=csv&table=causes")
    assert response.mimetype == "text/csv" and "operations-causes.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Cause" and rows[0][-1] == "Avoidable %"
    staffing = next(r for r in rows if r[0] == "Staffing pressure")
    assert staffing[-2:] == ["1", "100.0"]
    fixed = login(people["coach_a"]).get("/operations?format=csv&table=fixed").get_data(as_text=True)
    assert fixed.startswith("Quarter,Items fixed")
    assert login(people["coach_a"]).get("/operations?format=csv&table=nope").status_code == 404


def test_the_page_runs_the_same_queries_however_many_items(feedback_meetup, login, people, count_queries):
    client = login(people["coach_a"])

    def measured():
        with count_queries() as counter:
            assert client.get("/operations").status_code == 200
        return counter.count

    ids = [case.id for case in feedback_meetup["cases"]]
    service.raise_item(people["coach_a"], feedback_meetup["session"], "One", cause_id("Policy"), "Billing", ids)
    few = measured()
    for n in range(4):
        service.raise_item(people["coach_a"], feedback_meetup["session"], f"More {n}", cause_id("Tooling"), "IT", ids)
    assert measured() == few


def test_the_page_opens_with_the_figures_a_director_asks_for(raised_item, make_case, login, people):
    tagged(make_case, people["agent"], "Policy", True)
    tagged(make_case, people["agent"], "Policy", False)
    FeedbackItem.update(created_at=utcnow() - timedelta(days=30)).where(FeedbackItem.id == raised_item.id).execute()
    html = login(people["admin"]).get("/operations").get_data(as_text=True)
    headline = html.split('class="headline')[1].split("</p>")[0]
    assert "<strong>2</strong> cases tagged" in headline and "<strong>50%</strong>" in headline
    assert "<strong>30 days</strong>" in headline and "<strong>0</strong> items fixed this quarter" in headline


def months_ago(case, days):
    Case.update(submitted_at=utcnow() - timedelta(days=days)).where(Case.id == case.id).execute()


def policy_total(zone="Europe/Berlin"):
    return row(figures.causes_by_month(zone)[0], "Policy")[-2]


def test_past_months_come_from_the_rebuild_and_a_retag_shows_after_the_next_one(app, make_case, people):
    old = tagged(make_case, people["agent"], "Policy", True)
    months_ago(old, 60)
    tagged(make_case, people["agent"], "Policy", False)                     # this month
    assert policy_total() == 2 and figures.causes_by_month("Europe/Berlin")[2] is None   # no rebuild yet: live
    rebuild("Europe/Berlin")
    table, _, as_of = figures.causes_by_month("Europe/Berlin")
    assert as_of is not None and row(table, "Policy")[-3:] == [1, 2, 50.0]
    causes.tag_case(people["agent"], old.id, cause_id("Tooling"), False)    # re-tagged, two months back
    assert policy_total() == 2 and row(figures.causes_by_month("Europe/Berlin")[0], "Tooling")[-2] == 0
    tagged(make_case, people["agent_b"], "Policy", True)                    # this month: shows at once
    assert policy_total() == 3
    rebuild("Europe/Berlin")
    table = figures.causes_by_month("Europe/Berlin")[0]
    assert row(table, "Policy")[-3:] == [2, 2, 50.0] and row(table, "Tooling")[-3:] == [0, 1, 0.0]
    assert row(table, "All causes")[-3:] == [2, 3, pytest.approx(33.3)]


def test_the_rebuild_gives_what_counting_live_gives_and_running_it_twice_changes_nothing(app, make_case, people):
    for days, cause, avoidable in ((0, "Policy", True), (35, "Policy", False), (95, "Tooling", True),
                                   (200, "Tooling", None), (330, "Process", True), (400, "Policy", True)):
        months_ago(tagged(make_case, people["agent"], cause, avoidable), days)
    withdrawn = tagged(make_case, people["agent"], "Policy", True)
    from learning.cases.service import withdraw_case
    withdraw_case(people["agent"], withdrawn)
    people["coach_a"].timezone = "America/New_York"                       # a viewer's zone is counted too
    people["coach_a"].save()
    live = figures.causes_by_month("America/New_York")[0].rows
    rebuild("Europe/Berlin")
    assert CauseMonthCount.select().count() >= 1
    from learning.feedback.models import CauseMonth
    rows_once = sorted(CauseMonth.select(CauseMonth.zone, CauseMonth.month, CauseMonth.cause_key,
                                         CauseMonth.cases, CauseMonth.avoidable).tuples())
    rebuild("Europe/Berlin")
    assert sorted(CauseMonth.select(CauseMonth.zone, CauseMonth.month, CauseMonth.cause_key,
                                    CauseMonth.cases, CauseMonth.avoidable).tuples()) == rows_once
    assert figures.causes_by_month("America/New_York")[2] is not None
    assert live == figures.causes_by_month("America/New_York")[0].rows


@pytest.mark.parametrize("stale", ["too old", "another year"])
def test_an_old_or_other_year_s_count_is_not_read(app, make_case, people, stale):
    old = tagged(make_case, people["agent"], "Policy", True)
    months_ago(old, 60)
    rebuild("Europe/Berlin")
    causes.tag_case(people["agent"], old.id, cause_id("Tooling"), False)
    if stale == "too old":
        CauseMonthCount.update(computed_at=utcnow() - max_age() - timedelta(minutes=1)).execute()
    else:
        CauseMonthCount.update(first_month="2001-01").execute()
    table, _, as_of = figures.causes_by_month("Europe/Berlin")
    assert as_of is None and row(table, "Policy")[-2] == 0 and row(table, "Tooling")[-2] == 1


def test_the_page_says_when_past_months_were_counted(app, make_case, login, people):
    tagged(make_case, people["agent"], "Policy", True)
    client = login(people["coach_a"])
    assert "as counted at" not in client.get("/operations").get_data(as_text=True)
    rebuild("Europe/Berlin")
    html = client.get("/operations").get_data(as_text=True)
    assert "Months before" in html and "as counted at" in html and "is counted as you look" in html


def test_the_demo_counts_its_tagged_cases_in_the_stored_months(app, client):
    from tests.conftest import seed_demo

    seed_demo(app)
    stored, _, as_of = figures.causes_by_month("Europe/Berlin")
    assert as_of is not None
    CauseMonthCount.delete().execute()                       # what counting live gives
    assert figures.causes_by_month("Europe/Berlin")[0].rows == stored.rows
    assert row(stored, "All causes")[-2] > 0
