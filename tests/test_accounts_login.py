"""Signing in and out, deactivation, sessions, setup and CSRF."""
from learning.accounts import service
from learning.accounts.models import User
from tests.conftest import PASSWORD


def test_agent_signs_in_and_sees_the_dashboard(client, make_user):
    user = make_user(name="Rosa Mendes")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert "Hello, Rosa" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user()
    service.set_active(user, False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_deactivated_user_is_signed_out_at_the_next_request(client, login, make_user):
    user = make_user()
    login(user)
    assert client.get("/").status_code == 200
    service.set_active(User.get_by_id(user.id), False)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_password_change_signs_out_other_sessions(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/login", data={"email": user.email, "password": PASSWORD})
    response = first.post("/profile", data={"password-current_password": PASSWORD,
                                            "password-new_password": "a-new-long-secret",
                                            "password-confirm": "a-new-long-secret"})
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_weak_new_password_is_refused_and_old_one_still_works(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post("/profile", data={"password-current_password": PASSWORD,
                                             "password-new_password": "short",
                                             "password-confirm": "short"})
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).check_password(PASSWORD)


def test_logout_needs_post(client, login, make_user):
    login(make_user())
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_open_redirect_after_login_is_refused(client, make_user):
    user = make_user()
    response = client.post("/login?next=//evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/"


def test_empty_database_offers_setup_once(client):
    assert client.get("/login").location.endswith("/setup")
    response = client.post("/setup", data={"display_name": "First Admin", "email": "first@example.org",
                                           "timezone": "Europe/Berlin", "password": "a-long-secret-1",
                                           "confirm": "a-long-secret-1"})
    assert response.status_code == 302
    assert User.get(User.email == "first@example.org").role == "admin"
    assert client.get("/setup").status_code == 302


def test_setup_with_bad_input_writes_nothing(client):
    response = client.post("/setup", data={"display_name": "", "email": "not-an-email", "timezone": "Mars/Base",
                                           "password": "short", "confirm": "other"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Enter a name.", "Enter a valid e-mail address.", "Choose a time zone", "at least 10 characters",
                    "The two passwords differ."):
        assert message in body
    assert User.select().count() == 0


def test_post_without_csrf_token_is_refused(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    response = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_healthz_answers_503_when_the_database_is_gone(app, client, tmp_path):
    assert client.get("/healthz").status_code == 200
    from learning import db as database
    original = database.db.obj
    broken = database.init_database(f"sqlite:///{tmp_path}/missing/dir/x.db")
    try:
        assert client.get("/healthz").status_code == 503
    finally:
        database.db.initialize(original)
    assert broken is not original
