"""Admins' webhook pages: adding an endpoint (https only; http to this machine only when the
configuration allows it), editing, switching off, deleting, the test event and the delivery
log with its last answer and "retry now". Nobody else reaches them."""
from datetime import timedelta

from learning.accounts.models import User
from learning.audit.models import AuditEntry
from learning.db import utcnow
from learning.demo import DEMO_PASSWORD
from learning.webhooks.models import Delivery, Endpoint
from tests.conftest import seed_demo


def add(client, url, events=("case.submitted",), active="y"):
    return client.post("/admin/webhooks", data={"url": url, "events": list(events), "active": active})


def test_an_admin_adds_an_endpoint_and_sees_its_secret_to_copy(people, login):
    client = login(people["admin"])
    response = add(client, "https://hooks.example.com/learning", events=("case.submitted", "plan.acknowledged"))
    endpoint = Endpoint.get()
    assert response.status_code == 302 and response.location.endswith(f"/admin/webhooks/{endpoint.id}")
    assert (endpoint.url, endpoint.events, endpoint.active) == ("https://hooks.example.com/learning",
                                                                "case.submitted plan.acknowledged", True)
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    page = client.get(response.location).get_data(as_text=True)
    assert endpoint.secret in page and "Send a test event" in page and "Nothing sent yet" in page
    assert "hooks.example.com/learning" in client.get("/admin/webhooks").get_data(as_text=True)


def test_an_address_that_is_not_https_or_events_unknown_are_refused_and_nothing_saved(app, people, login):
    client = login(people["admin"])
    for url, message in (("http://hooks.example.com/in", "Use an https:// address."),
                         ("ftp://hooks.example.com/in", "Use an https:// address."),
                         ("https://", "Use an https:// address."),
                         ("https://host:port/in", "This is not a web address."),
                         ("https://hooks.example.com/" + "a" * 500, "Keep the address under 500 characters.")):
        response = add(client, url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url
    response = add(client, "https://hooks.example.com/in", events=("session.created", "everything"))
    assert response.status_code == 400
    response = add(client, "https://hooks.example.com/in", events=())
    assert "Choose at least one event." in response.get_data(as_text=True)
    assert Endpoint.select().count() == 0


def test_plain_http_to_this_machine_only_when_the_configuration_allows_it(app, people, login):
    client = login(people["admin"])
    app.config["WEBHOOKS_ALLOW_HTTP_LOCALHOST"] = False
    assert add(client, "http://127.0.0.1:9000/hook").status_code == 400
    app.config["WEBHOOKS_ALLOW_HTTP_LOCALHOST"] = True
    assert add(client, "http://localhost:9000/hook").status_code == 302
    assert add(client, "http://192.168.1.5/hook").status_code == 400      # only this machine
    assert [e.url for e in Endpoint.select()] == ["http://localhost:9000/hook"]


def test_an_admin_edits_switches_off_renews_the_secret_and_deletes(people, login, make_endpoint):
    endpoint = make_endpoint(events=["case.submitted", "person.imported"])
    client = login(people["admin"])
    url = f"/admin/webhooks/{endpoint.id}"
    page = client.get(url).get_data(as_text=True)
    assert page.count("checked") == 3        # its two events and "On"
    assert 'value="case.submitted" checked' in page and 'value="person.imported" checked' in page
    assert client.post(url, data={"url": "https://other.example.com/in", "events": ["plan.acknowledged"]}).status_code == 302
    saved = Endpoint.get_by_id(endpoint.id)
    assert (saved.url, saved.events, saved.active) == ("https://other.example.com/in", "plan.acknowledged", False)
    assert client.post(f"{url}/test").status_code == 302
    assert Delivery.select().count() == 0                       # switched off: no test queued
    assert "Switch the endpoint on first" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/secret")
    assert Endpoint.get_by_id(endpoint.id).secret not in ("", endpoint.secret)
    Delivery.create(endpoint=endpoint, event="ping", payload="{}")
    assert client.post(f"{url}/delete").status_code == 302
    assert Endpoint.select().count() == 0 and Delivery.select().count() == 0
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "webhook.added", "webhook.changed", "webhook.secret-renewed", "webhook.deleted"]
    assert "made a new signing secret for the webhook" in client.get("/admin/audit").get_data(as_text=True)


def test_the_delivery_log_shows_the_last_answer_newest_first_and_retries_a_failed_one(people, login, make_endpoint):
    endpoint = make_endpoint()
    old = Delivery.create(endpoint=endpoint, event="case.submitted", payload="{}", status="delivered",
                          delivered_at=utcnow(), last_status_code=200, last_response="thanks, stored as #81")
    failed = Delivery.create(endpoint=endpoint, event="plan.acknowledged", payload="{}", status="failed", attempts=3,
                             last_status_code=500, last_response="<h1>Internal error</h1>", last_error="HTTP 500")
    Delivery.update(due_at=utcnow() + timedelta(hours=2)).where(Delivery.id == failed.id).execute()
    client = login(people["admin"])
    page = client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert page.index(f"delivery-{failed.id}") < page.index(f"delivery-{old.id}")     # newest first
    assert "thanks, stored as #81" in page and "&lt;h1&gt;Internal error&lt;/h1&gt;" in page   # escaped
    assert page.count("Retry now") == 1 and "3 failed attempts" in page and "0 failed" not in page
    assert client.post(f"/admin/webhooks/deliveries/{failed.id}/retry").status_code == 302
    assert Delivery.get_by_id(failed.id).due_at <= utcnow()
    client.post(f"/admin/webhooks/deliveries/{old.id}/retry")
    assert "This one was delivered" in client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)


def test_the_log_comes_a_page_at_a_time(people, login, make_endpoint):
    endpoint = make_endpoint()
    Delivery.insert_many([{"endpoint": endpoint.id, "event": "ping", "payload": "{}"} for _ in range(60)]).execute()
    client = login(people["admin"])
    first = client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Next" in first and first.count('class="delivery"') < 60


def test_only_admins_manage_webhooks(people, login, make_endpoint, client):
    endpoint = make_endpoint()
    assert client.get("/admin/webhooks").status_code == 302             # to sign in
    for seat in ("agent", "coach_a"):
        client = login(people[seat])
        assert client.get("/admin/webhooks").status_code == 403
        assert add(client, "https://hooks.example.com/x").status_code == 403
        assert client.post(f"/admin/webhooks/{endpoint.id}/delete").status_code == 403
    assert Endpoint.select().count() == 1


def test_the_demo_shows_a_switched_off_endpoint_with_a_success_and_a_retry_in_its_log(app, login):
    seed_demo(app)
    admin = User.get(User.email == "admin@example.com")
    endpoint = Endpoint.get(Endpoint.kind == "webhook")
    assert endpoint.active is False
    client = login(admin, DEMO_PASSWORD)
    page = client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "accepted as ticket HD-1042" in page and "Retry now" in page and "receiver restarting" in page
    assert Delivery.select().where(Delivery.endpoint == endpoint).count() == 3
