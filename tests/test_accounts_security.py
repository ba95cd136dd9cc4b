"""Sign-in throttling, the audit log of people changes, headers and request limits."""
from learning.accounts.throttle import MAX_FAILURES_PER_ACCOUNT_ADDRESS, LoginFailure
from learning.audit.models import AuditEntry
from tests.conftest import PASSWORD


def test_repeated_failures_lock_the_account_for_a_while(client, make_user):
    user = make_user()
    for _ in range(MAX_FAILURES_PER_ACCOUNT_ADDRESS):
        client.post("/login", data={"email": user.email, "password": "wrong-password"})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_success_clears_earlier_failures(client, make_user):
    user = make_user()
    for _ in range(MAX_FAILURES_PER_ACCOUNT_ADDRESS - 1):
        client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert LoginFailure.select().where(LoginFailure.email == user.email).count() == 0


def test_role_change_and_deactivation_are_audited(client, login, people):
    login(people["admin"])
    agent = people["agent"]
    client.post(f"/admin/users/{agent.id}", data={"display_name": agent.display_name, "email": agent.email,
                                                  "role": "coach", "team": agent.team_id, "timezone": agent.timezone})
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["user.role-changed", "user.deactivated"]
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "changed the role of" in body and "agent → coach" in body and "</a> deactivated <a" in body


def test_audit_log_is_for_admins_only(client, login, people):
    login(people["coach_a"])
    assert client.get("/admin/audit").status_code == 403


def test_every_response_carries_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_oversized_request_gets_a_413_page(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "x@example.org", "password": "p" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than this page accepts" in response.get_data(as_text=True)


def test_each_response_has_a_request_id_and_tokens_are_masked_in_logs(client, caplog):
    import logging

    from learning.request_log import MaskSecretsFilter

    response = client.get("/login", headers={"X-Request-ID": "abc123"})
    assert response.headers["X-Request-ID"] == "abc123"
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET %s HTTP/1.1" 200',
                               ("/calendar/feed/SECRETTOKEN123.ics",), None)
    MaskSecretsFilter().filter(record)
    assert "SECRETTOKEN123" not in record.getMessage() and "[token]" in record.getMessage()


OFFICE = "203.0.113.7"  # one address in front of a whole office (NAT)


def sign_in_from(client, address, email, password):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_attacker_behind_the_office_address_locks_only_the_account_guessed(app, make_user):
    victim = make_user()
    colleagues = [make_user() for _ in range(30)]
    attacker = app.test_client()
    for _ in range(25):
        sign_in_from(attacker, OFFICE, victim.email, "guess-guess-guess")
    for n in range(6):  # 24 failures spread over a few made-up accounts
        for _ in range(4):
            sign_in_from(attacker, OFFICE, f"made-up-{n}@example.org", "guess-guess-guess")
    for colleague in colleagues:
        device = app.test_client()
        sign_in_from(device, OFFICE, colleague.email, "a-typo-in-it")
        assert sign_in_from(device, OFFICE, colleague.email, PASSWORD).status_code == 302
        assert device.get("/profile").status_code == 200
    locked = sign_in_from(app.test_client(), OFFICE, victim.email, PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.get_data(as_text=True)


def test_guessing_one_account_from_many_addresses_locks_it(client, make_user):
    from learning.accounts.throttle import MAX_FAILURES_PER_ACCOUNT

    victim = make_user()
    for n in range(MAX_FAILURES_PER_ACCOUNT):
        sign_in_from(client, f"198.51.100.{n}", victim.email, "guess-guess-guess")
    assert sign_in_from(client, "192.0.2.1", victim.email, PASSWORD).status_code == 429


def test_the_per_address_ceiling_still_stops_a_spray_over_many_accounts(client, make_user):
    from learning.accounts.throttle import MAX_FAILURES_PER_ADDRESS

    person = make_user()
    LoginFailure.insert_many([{"email": f"sprayed-{n}@example.org", "address": OFFICE}
                              for n in range(MAX_FAILURES_PER_ADDRESS)]).execute()
    assert sign_in_from(client, OFFICE, person.email, PASSWORD).status_code == 429
    assert sign_in_from(client, "192.0.2.1", person.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_only_its_own_addresss_failures(client, make_user):
    person = make_user()
    sign_in_from(client, OFFICE, person.email, "a-typo-in-it")
    sign_in_from(client, "198.51.100.9", person.email, "guess-guess-guess")
    assert sign_in_from(client, OFFICE, person.email, PASSWORD).status_code == 302
    assert [f.address for f in LoginFailure.select()] == ["198.51.100.9"]
