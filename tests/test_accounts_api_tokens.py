"""The profile page's API tokens: made with a name and a scope, the secret shown once, listed
with when they were made and last used, revoked by their owner only."""
import re

from learning.accounts.models import ApiToken


def create(client, name="Helpdesk sync", scope="read"):
    return client.post("/profile/api-tokens", data={"token-name": name, "token-scope": scope})


def test_a_new_token_is_shown_once_then_listed_without_its_secret(app, people, login):
    client = login(people["agent"])
    page = create(client).get_data(as_text=True)
    secret = re.search(r'id="new-token">(sds_[^<]+)<', page).group(1)
    assert ApiToken.get().token_hash != secret
    listed = client.get("/profile").get_data(as_text=True)
    assert secret not in listed
    assert "Helpdesk sync" in listed and ApiToken.get().prefix in listed and "Never" in listed
    assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert "Never" not in client.get("/profile").get_data(as_text=True)   # last use shown


def test_a_refused_token_form_names_its_field_and_makes_nothing(app, people, login):
    client = login(people["agent"])
    page = create(client, name="  ", scope="admin").get_data(as_text=True)
    assert "Name the token after what will use it." in page and "Not a valid choice" in page
    assert ApiToken.select().count() == 0


def test_the_owner_revokes_a_token_and_nobody_else_can(app, people, login, api_token):
    api_token(people["agent"])
    token = ApiToken.get()
    assert login(people["admin"]).post(f"/profile/api-tokens/{token.id}/revoke").status_code == 404
    assert login(people["other_agent"]).post(f"/profile/api-tokens/{token.id}/revoke").status_code == 404
    assert ApiToken.get_by_id(token.id).revoked_at is None
    owner = login(people["agent"])
    assert owner.post(f"/profile/api-tokens/{token.id}/revoke").status_code == 302
    assert ApiToken.get_by_id(token.id).revoked_at is not None
    assert "You have no API tokens." in owner.get("/profile").get_data(as_text=True)
    assert owner.post(f"/profile/api-tokens/{token.id}/revoke").status_code == 404   # once


def test_signed_out_people_make_no_tokens(app, client):
    response = create(client)
    assert response.status_code == 302 and "/login" in response.location
    assert ApiToken.select().count() == 0
