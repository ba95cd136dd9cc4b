"""Browser: everyday journeys the walk-through found wanting. A new rating shows where it
lands; a plan from a template arrives filled; an Outlook meeting imports at its Berlin time
and is edited there; the calendar page offers Add to Outlook; the audit log reads as
sentences whose links lead to the plan."""
from datetime import date, datetime, timedelta

import pytest

from learning.schedule.models import Session
from tests.conftest import PASSWORD, seed_demo
from tests.test_calendars_outlook_zones import OUTLOOK_ZONE, outlook_event

pytestmark = pytest.mark.browser


def test_agent_rates_themselves_and_sees_the_new_rating(app, page, browser_login, people, competencies):
    browser_login(people["agent"].email, PASSWORD)
    page.goto(f"/coaching/people/{people['agent'].id}")
    page.select_option("select[name=competency]", str(competencies[1].id))
    page.select_option("select[name=level]", "4")
    page.click("button:has-text('Add rating')")
    assert f"Added: {competencies[1].name}, level 4" in page.locator(".flash").inner_text()
    row = page.locator("tr.added")
    assert row.is_visible() and "just added" in row.inner_text()
    assert page.locator(".rating-head", has_text=competencies[1].name).locator(".chip", has_text="self 4").is_visible()


def test_coach_plans_from_a_template_and_the_plan_holds_its_goals(app, page, browser_login):
    seed_demo(app)
    browser_login("coach@example.com", "learning-demo")
    page.goto("/coaching/templates")
    page.click("li:has-text('New hire foundations') >> text=Plan from this template")
    assert page.locator("input[name=title]").input_value() == "New hire foundations"
    assert page.locator("#competencies input:checked").count() >= 1
    assert page.locator(".template-preview li").count() >= 2
    page.check("label:has-text('Tom Becker') >> input")
    page.click("button:has-text('Create plan')")
    assert "The plan is assigned to Tom Becker." in page.content()
    assert page.locator("text=Staying centred under pressure").first.is_visible()


def test_coach_imports_an_outlook_meeting_at_its_berlin_time(app, page, browser_login, people, tmp_path):
    day = date.today() + timedelta(days=10)
    local = datetime(day.year, day.month, day.day, 14, 0)
    path = tmp_path / "outlook.ics"
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
                      + OUTLOOK_ZONE + outlook_event("olk-browser", local) + "END:VCALENDAR\r\n").encode())
    browser_login(people["coach_a"].email, PASSWORD)
    page.goto("/calendar/import")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=title]", "Outlook meetings")
    page.select_option("select[name=timezone]", "UTC")
    page.click("text=Preview")
    page.wait_for_selector("text=1 to create")
    when = page.locator(".cal-preview tbody tr").first.inner_text()
    assert "14:00" in when and "Europe/Berlin" in when
    page.click("text=Confirm import")
    page.wait_for_selector("text=1 created")
    session = Session.get(Session.uid == "olk-browser")
    page.goto(f"/sessions/{session.id}/edit")
    assert page.locator("input[name=start_time]").input_value() == "14:00"
    assert page.locator("text=Times in Europe/Berlin").is_visible()


def test_agent_finds_add_to_outlook_beside_google(app, page, browser_login, people):
    browser_login(people["agent"].email, PASSWORD)
    page.goto("/calendar")
    page.select_option("select[name=feed]", "personal")
    page.click("button:has-text('Get a calendar address')")
    actions = page.locator(".cal-actions")
    assert actions.locator("text=Add to Google Calendar").is_visible()
    outlook = actions.locator("a", has_text="Add to Outlook")
    assert outlook.get_attribute("href").startswith("https://outlook.office.com/calendar/0/addfromweb?url=")


def test_admin_reads_the_audit_log_and_follows_a_link_to_the_plan(app, page, browser_login, people, plan):
    browser_login(people["admin"].email, PASSWORD)
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=Audit log")
    sentence = page.locator(".audit-sentence").first
    assert sentence.inner_text() == f"Coach A created the plan {plan.title} (Agent A1)."
    sentence.locator("a", has_text=plan.title).click()
    page.wait_for_url(f"**/plans/{plan.id}")


def test_chart_labels_are_drawn_at_a_readable_size_on_a_phone(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/progress")
    sizes = page.eval_on_selector_all("svg.chart text", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) "
                                      "* e.ownerSVGElement.getScreenCTM().a)")
    assert sizes and min(sizes) >= 11
    figure = page.locator("figure.chart-figure").first
    figure.locator("summary", has_text="Data table").click()
    assert figure.locator("table tbody tr").count() == 12


def test_a_peer_sees_who_came_not_who_was_absent_and_no_notice_of_their_own_place(app, page, browser_login,
                                                                                    people, one_session):
    from learning.schedule import attendance, service as schedule

    with app.test_request_context():
        schedule.rsvp(one_session, people["other_agent"])
    Session.update(starts_at=one_session.starts_at - timedelta(days=20)).where(Session.id == one_session.id).execute()
    past = Session.get_by_id(one_session.id)
    from learning.schedule.models import Rsvp
    Rsvp.create(session=past, user=people["agent"], status="going", queue_number=2)
    attendance.record_attendance(past, {people["agent"].id: "attended", people["other_agent"].id: "no_show"})
    browser_login(people["agent"].email, PASSWORD)
    page.goto(f"/sessions/{past.id}")
    people_list = page.locator("ul.people").inner_text()
    assert "Agent A2" in people_list and "attended" in people_list and "no-show" not in people_list
    future = schedule_session(app, people)
    page.goto(f"/sessions/{future.id}")
    page.click("button:has-text(\"I'm going\")")
    page.wait_for_selector(".flash:has-text('You are going.')")
    assert page.locator(".usermenu a", has_text="Notifications").locator(".badge").count() == 0


def schedule_session(app, people):
    from learning.schedule import service as schedule
    from tests.fixtures_schedule import next_weekday_at

    with app.app_context():
        series = schedule.create_series(created_by=people["coach_a"], kind="skill", title="Owning it",
                                        timezone="Europe/Berlin", first_start_local=next_weekday_at(11),
                                        duration_minutes=60, rrule="", capacity=None)
    return series.sessions.get()
