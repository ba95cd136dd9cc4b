"""Single sign-on against a local OpenID provider (tests/fixtures_accounts.py): the happy
path, each refused answer shown as a clear page (never a 500), matching by verified e-mail,
just-in-time creation, and the password form closed to all but admins under OIDC_ONLY."""
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from learning.accounts.models import User
from tests.conftest import PASSWORD


def start(client, next_page=None):
    """Press "Sign in with ..."; returns the provider's authorisation URL."""
    response = client.post("/login/sso", query_string={"next": next_page} if next_page else None)
    assert response.status_code == 302
    return response.location


def round_trip(client, next_page=None):
    """The whole flow: to the provider, back to the app's callback. Returns the app's answer."""
    at_provider = requests.get(start(client, next_page), allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client):
    page = client.get("/profile")
    return page.status_code == 200 and page.get_data(as_text=True)


def test_the_login_page_offers_the_provider_only_when_configured(app, client, people, oidc_provider):
    assert "Sign in with Example ID" in client.get("/login").get_data(as_text=True)
    app.config["OIDC_CLIENT_SECRET"] = None
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)
    assert client.post("/login/sso").status_code == 404
    assert client.get("/login/sso/callback").status_code == 404


def test_the_request_to_the_provider_uses_pkce_state_and_nonce(client, people, oidc_provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"] and query["client_id"] == ["support-development"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://localhost/login/sso/callback"]
    assert "openid" in query["scope"][0].split() and "email" in query["scope"][0].split()


def test_a_known_person_with_a_verified_email_is_signed_in(client, people, oidc_provider):
    agent = people["agent"]
    oidc_provider.person = {"email": agent.email.upper(), "email_verified": True, "name": "Whoever"}
    response = round_trip(client)
    assert response.status_code == 302 and response.location.endswith("/")
    assert agent.display_name in signed_in_as(client)
    assert oidc_provider.token_requests[-1]["code_verifier"]
    assert User.get_by_id(agent.id).last_sign_in_at is not None


REFUSED_TOKENS = {
    "a wrong nonce": (lambda now: {"nonce": "from-another-sign-in"}, "does not belong to this sign-in"),
    "another audience": (lambda now: {"aud": "another-application"}, "meant for another application"),
    "an expired token": (lambda now: {"iat": now - 1200, "exp": now - 600}, "had expired"),
    "another issuer": (lambda now: {"iss": "https://impostor.example"}, "came from another provider"),
}


@pytest.mark.parametrize("case", REFUSED_TOKENS)
def test_an_id_token_that_fails_a_check_is_refused_with_a_clear_page(client, people, oidc_provider, case):
    tamper, message = REFUSED_TOKENS[case]
    oidc_provider.person["email"] = people["agent"].email
    oidc_provider.tamper = tamper(int(time.time()))
    response = round_trip(client)
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert not signed_in_as(client)


def test_a_token_signed_with_another_key_is_refused(client, people, oidc_provider, provider_keys):
    oidc_provider.person["email"] = people["agent"].email
    oidc_provider.signing_key = provider_keys[1]
    response = round_trip(client)
    assert response.status_code == 403 and "could not be verified" in response.get_data(as_text=True)
    assert not signed_in_as(client)


def test_an_unverified_email_is_refused(client, people, oidc_provider):
    oidc_provider.person = {"email": people["agent"].email, "email_verified": False}
    response = round_trip(client)
    assert response.status_code == 403
    assert "has not verified" in response.get_data(as_text=True)
    assert not signed_in_as(client)


def test_an_unknown_person_is_refused_without_just_in_time_creation(client, people, oidc_provider):
    oidc_provider.person = {"email": "newcomer@example.org", "email_verified": True, "name": "New Comer"}
    response = round_trip(client)
    assert response.status_code == 403
    assert "There is no account for newcomer@example.org" in response.get_data(as_text=True)
    assert not User.select().where(User.email == "newcomer@example.org").exists()


def test_just_in_time_creation_adds_an_agent_to_the_default_team(app, client, people, oidc_provider):
    app.config.update(OIDC_CREATE_PEOPLE=True, OIDC_DEFAULT_TEAM="Team B")
    oidc_provider.person = {"email": "newcomer@example.org", "email_verified": True,
                            "given_name": "New", "family_name": "Comer"}
    assert round_trip(client).status_code == 302
    person = User.get(User.email == "newcomer@example.org")
    assert (person.display_name, person.role, person.team_id) == ("New Comer", "agent", people["team_b"].id)
    assert "New Comer" in signed_in_as(client)


def test_a_deactivated_person_is_refused(client, people, oidc_provider):
    agent = people["agent"]
    User.update(active=False).where(User.id == agent.id).execute()
    oidc_provider.person["email"] = agent.email
    response = round_trip(client)
    assert response.status_code == 403 and "deactivated" in response.get_data(as_text=True)


def test_a_callback_without_its_sign_in_is_refused(client, people, oidc_provider):
    response = client.get("/login/sso/callback?code=forged&state=forged")
    assert response.status_code == 403 and "start again" in response.get_data(as_text=True)


def test_the_provider_being_down_shows_a_page_not_an_error(app, client, people, oidc_provider):
    app.config["OIDC_ISSUER"] = "http://127.0.0.1:9"   # nothing listens there
    page = client.get("/login")
    assert page.status_code == 200 and "form-action 'self' http://127.0.0.1:9;" in page.headers["Content-Security-Policy"]
    response = client.post("/login/sso")
    assert response.status_code == 502 and "could not be reached" in response.get_data(as_text=True)


def test_only_admins_sign_in_with_a_password_when_sso_is_the_only_way(app, client, people, oidc_provider):
    app.config["OIDC_ONLY"] = True
    page = client.get("/login").get_data(as_text=True)
    assert "Administrators: sign in with a password" in page
    refused = client.post("/login", data={"email": people["agent"].email, "password": PASSWORD})
    assert refused.status_code == 200 and "Please sign in with Example ID" in refused.get_data(as_text=True)
    admin = client.post("/login", data={"email": people["admin"].email, "password": PASSWORD})
    assert admin.status_code == 302


def test_only_the_sign_in_page_lets_a_form_go_on_to_the_provider(client, people, oidc_provider):
    # Browsers apply form-action to a form's redirects too: without this the button goes nowhere.
    assert f"form-action 'self' {oidc_provider.issuer};" in client.get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self';" in client.get("/password/forgot").headers["Content-Security-Policy"]


def test_after_signing_in_the_person_goes_where_they_were_going_on_this_site_only(client, people, oidc_provider):
    oidc_provider.person["email"] = people["agent"].email
    assert round_trip(client, "/sessions?kind=meetup").location == "/sessions?kind=meetup"
    client.post("/logout")
    assert round_trip(client, "//evil.example/x").location == "/"
