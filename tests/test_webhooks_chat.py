"""A team's chat: its coaches (and admins) set Slack and Teams incoming-webhook addresses;
announcements and reminders of the team's sessions are posted there, in each service's
format, by the mail worker (here to a local receiver)."""
from datetime import date, timedelta

from learning.audit.models import AuditEntry
from learning.db import utcnow
from learning.outreach.service import announce
from learning.schedule.models import Series, Session
from learning.webhooks import chat, delivery
from learning.webhooks.models import Delivery, Endpoint


def hooks_to(receiver, team, by):
    return chat.set_chat_hooks(by, team, {"slack": receiver.url + "?slack", "teams": receiver.url + "?teams"})


def by_kind(receiver):
    return {r["headers"].get("X-Learning-Event") or ("slack" if "text" in r["json"] else "teams"): r["json"]
            for r in receiver.requests}


def test_a_coach_sets_their_teams_slack_and_teams_hooks(people, login):
    client = login(people["coach_a"])
    url = f"/teams/{people['team_a'].id}/chat"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"slack": "https://hooks.slack.com/services/T0/B0/xyz",
                                      "teams": "https://contoso.webhook.office.com/webhookb2/abc"})
    assert response.status_code == 302
    hooks = {e.kind: e.url for e in Endpoint.select().where(Endpoint.team == people["team_a"])}
    assert hooks == {"slack": "https://hooks.slack.com/services/T0/B0/xyz",
                     "teams": "https://contoso.webhook.office.com/webhookb2/abc"}
    client.post(url, data={"slack": "", "teams": "https://prod-01.westeurope.logic.azure.com/workflows/1"})
    hooks = {e.kind: e.url for e in Endpoint.select().where(Endpoint.team == people["team_a"])}
    assert hooks == {"teams": "https://prod-01.westeurope.logic.azure.com/workflows/1"}   # Slack removed
    assert "services/T0/B0/xyz" not in client.get(url).get_data(as_text=True)
    assert [e.summary for e in AuditEntry.select().where(AuditEntry.action == "chat.changed").order_by(AuditEntry.id)] == [
        "Slack set, Microsoft Teams set", "Slack removed, Microsoft Teams set"]
    log = login(people["admin"]).get("/admin/audit").get_data(as_text=True)
    assert f'changed the chat channels of <a href="/teams/{people["team_a"].id}/chat">Team A</a>' in log


def test_addresses_of_other_hosts_or_plain_http_are_refused_and_nothing_saved(people, login):
    client = login(people["admin"])
    url = f"/teams/{people['team_a'].id}/chat"
    for data, message in (({"slack": "https://evil.example.com/services/x"}, "not a Slack incoming-webhook address"),
                          ({"slack": "https://hooks.slack.com.evil.example/x"}, "not a Slack incoming-webhook address"),
                          ({"teams": "https://webhook.office.com.example.org/x"}, "not a Microsoft Teams"),
                          ({"slack": "http://hooks.slack.com/services/x"}, "Use an https:// address.")):
        response = client.post(url, data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert Endpoint.select().count() == 0


def test_only_the_teams_coaches_and_admins_set_its_chat(people, login, client):
    url = f"/teams/{people['team_a'].id}/chat"
    data = {"slack": "https://hooks.slack.com/services/T0/B0/xyz"}
    assert client.post(url, data=data).status_code == 302 and "/login" in client.post(url, data=data).location
    assert login(people["agent"]).post(url, data=data).status_code == 403
    assert login(people["coach_b"]).post(url, data=data).status_code == 404     # another team's coach
    assert login(people["coach_b"]).get(url).status_code == 404
    assert Endpoint.select().count() == 0
    assert login(people["admin"]).post(url, data=data).status_code == 302
    assert Endpoint.select().count() == 1


def test_an_announcement_lands_in_slack_and_teams_in_their_formats(app, people, receiver):
    with app.test_request_context():
        hooks_to(receiver, people["team_a"], people["coach_a"])
        announce(people["coach_a"], people["team_a"], "**New** rota from Monday <b>", date.today() + timedelta(days=3))
        assert delivery.deliver_due() == 2
    posted = by_kind(receiver)
    assert posted["slack"] == {
        "text": "Coach A to Team A:\n**New** rota from Monday &lt;b&gt;\n<http://localhost:5000/|Open the dashboard>"}
    card = posted["teams"]["attachments"][0]
    assert posted["teams"]["type"] == "message" and card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["text"] == "Coach A to Team A:\n**New** rota from Monday <b>"
    assert card["content"]["actions"][0] == {"type": "Action.OpenUrl", "title": "Open the dashboard",
                                             "url": "http://localhost:5000/"}
    assert all("X-Learning-Signature" not in r["headers"] for r in receiver.requests)   # chat hooks are not signed
    assert Delivery.select().where(Delivery.status == "delivered").count() == 2


def test_another_teams_announcement_is_not_posted_to_this_teams_chat(app, people, receiver):
    with app.test_request_context():
        hooks_to(receiver, people["team_a"], people["coach_a"])
        announce(people["coach_b"], people["team_b"], "Team B only", date.today() + timedelta(days=3))
    assert Delivery.select().count() == 0


def team_session(people, team, hours):
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=hours)
    series = Series.create(kind="skill", title="Listening fully", duration_minutes=60, timezone="Europe/Berlin",
                           first_start_local=start, team=team, created_by=people["admin"])
    return Session.create(series=series, uid=f"chat-{series.id}@test", recurrence_local=start, starts_at=start,
                          ends_at=start + timedelta(hours=1), timezone="Europe/Berlin")


def test_a_next_day_session_of_the_team_is_reminded_in_its_chat_once(app, people, receiver):
    soon = team_session(people, people["team_a"], 20)
    team_session(people, people["team_a"], 60)        # not within the lead
    team_session(people, None, 20)                    # programme-wide: no team chat
    with app.test_request_context():
        hooks_to(receiver, people["team_a"], people["coach_a"])
        chat.queue_chat_reminders()
        chat.queue_chat_reminders()                   # a second round (or worker) adds nothing
        assert Delivery.select().count() == 2
        assert delivery.deliver_due() == 2
    posted = by_kind(receiver)
    assert posted["slack"]["text"].startswith("Reminder for Team A: Listening fully starts on ")
    assert f"<http://localhost:5000/sessions/{soon.id}|See the session>" in posted["slack"]["text"]
    assert "CET" in posted["slack"]["text"] or "CEST" in posted["slack"]["text"]          # the zone is named
    assert posted["teams"]["attachments"][0]["content"]["actions"][0]["url"].endswith(f"/sessions/{soon.id}")


def test_a_failed_chat_post_is_retried_like_a_webhook(app, people, receiver):
    receiver.answers = [(500, "slack is down"), (200, "ok")]
    with app.test_request_context():
        chat.set_chat_hooks(people["coach_a"], people["team_a"], {"slack": receiver.url})
        announce(people["coach_a"], people["team_a"], "Rota", date.today() + timedelta(days=3))
        now = utcnow()
        assert delivery.deliver_due(now=now) == 0
        assert Delivery.get().last_response == "slack is down"
        assert delivery.deliver_due(now=now + timedelta(hours=1)) == 1
