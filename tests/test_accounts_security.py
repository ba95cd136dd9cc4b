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
    assert "agent → coach" in body and "user.deactivated" in body


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
