"""Hostile text never executes: classic XSS payloads stored through the services
are shown as text on every page that displays them, and no dialog fires."""
from datetime import datetime, timedelta

import pytest

from learning.cases import service as cases
from learning.schedule import service as schedule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "<svg onload=alert('xss-svg')>",
    "[click](javascript:alert('xss-link'))",
    "\"><iframe src=javascript:alert('xss-frame')>",
]
HOSTILE = " ".join(PAYLOADS)


@pytest.fixture
def hostile_world(app, people):
    with app.app_context():
        return _store_hostile_text(people)


def _store_hostile_text(people):
    coach, agent = people["coach_a"], people["agent"]
    agent.display_name = "<b onmouseover=alert('xss-name')>Agent</b>"
    agent.save()
    start = (datetime.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    series = schedule.create_series(coach, "case_review", "Meetup <script>alert('xss-title')</script>",
                                    "Europe/Berlin", start, 60, rrule="FREQ=WEEKLY;COUNT=2", capacity=10,
                                    team=people["team_a"], description=HOSTILE, location="<i>Room</i>")
    session = sorted(series.sessions, key=lambda s: s.starts_at)[0]
    schedule.rsvp(session, agent)
    data = {"title": "Case <script>alert('xss-case')</script>", "customer_need": HOSTILE, "actions": HOSTILE,
            "outcome": HOSTILE, "ask": HOSTILE, "channel": "chat", "heaviness": None, "anonymous": False,
            "meetup_id": session.id, "competency_ids": []}
    case = cases.save_case(agent, None, data, submit=True)
    return {"series": series, "session": session, "case": case}


def test_payloads_render_as_text_and_no_dialog_fires(app, page, live_server, hostile_world, people):
    fired = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    for user in (people["agent"], people["coach_a"]):
        page.goto("/login")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        for path in ("/", "/sessions", f"/sessions/{hostile_world['session'].id}",
                     f"/series/{hostile_world['series'].id}", "/my/schedule", "/cases",
                     f"/cases/{hostile_world['case'].id}", f"/sessions/{hostile_world['session'].id}/agenda"):
            response = page.goto(path)
            assert response.status < 500, path
            assert not page.locator("script:not([src])").count(), f"inline script on {path}"
            assert not page.locator("img[onerror], svg[onload], iframe, b[onmouseover]").count(), path
            assert not page.locator("a[href^='javascript:']").count(), path
        page.goto(f"/cases/{hostile_world['case'].id}")
        assert "alert('xss-case')" in page.inner_text("main"), "the title is shown as text"
        page.click("text=Sign out")
    assert fired == []
