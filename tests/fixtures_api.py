"""API fixtures: a personal access token for anyone, and a client that sends it.

    def test_something(api_as, people):
        api = api_as(people["agent"])            # a read-and-write token; scope="read" for read only
        response = api.get("/api/v1/sessions")
        api.post("/api/v1/series", json={...})
"""
import pytest

from learning.accounts import api_tokens


class ApiClient:
    """The app's test client with `Authorization: Bearer <secret>` on every request (none when
    `secret` is None); `json=` bodies go as application/json."""

    def __init__(self, client, secret=None):
        self.client, self.secret = client, secret

    def open(self, path, method="GET", headers=None, **kwargs):
        headers = dict(headers or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)

    def put(self, path, **kwargs):
        return self.open(path, "PUT", **kwargs)

    def delete(self, path, **kwargs):
        return self.open(path, "DELETE", **kwargs)


@pytest.fixture
def api_token(app):
    """`api_token(user, scope="write", name="Test")`: the secret of a new token."""
    def issue(user, scope="write", name="Test"):
        return api_tokens.issue_token(user, name, scope)[1]
    return issue


@pytest.fixture
def api_as(app, api_token):
    """`api_as(user, scope="write")`: an ApiClient with a new token of `user`'s; `api_as(None)` sends none."""
    def client_for(user, scope="write"):
        return ApiClient(app.test_client(), api_token(user, scope) if user is not None else None)
    return client_for
