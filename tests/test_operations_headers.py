"""Response headers as promised: signed-in pages are never cached, static files carry one
coherent cache policy, feeds send no Referer, and HSTS when a deployment opts in."""
import re
import subprocess
import sys

import pytest

from tests.conftest import PASSWORD


@pytest.mark.parametrize("seat", ["agent", "coach_a", "coach_b", "admin"])
def test_signed_in_pages_are_never_stored_by_any_cache(client, login, people, seat):
    login(people[seat])
    for path in ("/", "/profile", "/calendar", "/sessions", f"/sessions/{999999}.ics"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path


def test_a_remember_me_sign_in_without_a_session_also_gets_no_store(app, people):
    device = app.test_client()
    device.post("/login", data={"email": people["agent"].email, "password": PASSWORD, "remember": "y"})
    fresh = app.test_client()
    fresh.set_cookie("remember_token", device.get_cookie("remember_token").value)
    response = fresh.get("/profile")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_anonymous_pages_are_not_marked_no_store(client, people):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def _static_address(client):
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_carry_one_coherent_cache_policy(client, login, people, signed_in):
    if signed_in:
        login(people["agent"])
    fresh = client.get(_static_address(client))
    assert fresh.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    fresh.close()
    for stale in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        answer = client.get(stale)
        assert answer.headers["Cache-Control"] == "no-cache"
        answer.close()


def test_feeds_send_no_referrer_and_are_not_shared_cached(client, login, people, feed_url):
    url = feed_url(people["agent"])
    response = client.get(url)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    login(people["agent"])  # a feed opened in the browser one is signed in with
    assert client.get(url).headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/profile").headers["Referrer-Policy"] == "same-origin"


def test_hsts_is_off_unless_a_deployment_opts_in(app, client, people):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["HSTS_SECONDS"] = 31536000
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    app.config["HSTS_INCLUDE_SUBDOMAINS"] = True
    assert client.get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_is_read_from_the_environment():
    code = "import config; print(config.Config.HSTS_SECONDS, config.Config.HSTS_INCLUDE_SUBDOMAINS)"
    env = {"HSTS_SECONDS": "63072000", "HSTS_INCLUDE_SUBDOMAINS": "1", "PATH": ""}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["63072000", "True"]
