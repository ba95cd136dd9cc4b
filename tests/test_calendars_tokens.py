"""Feed tokens and the calendar page: secret, hashed, scoped to their owner, revocable one by one."""
import logging
import re

from learning.calendars.models import FeedToken

FEED_ADDRESS = re.compile(r'value="http://localhost(/calendar/feed/[A-Za-z0-9_-]{43}\.ics)"')


def test_feed_token_has_at_least_128_bits_and_only_its_hash_is_stored(client, people, feed_url):
    url = feed_url(people["agent"])
    token = url.rsplit("/", 1)[1][:-4]
    assert len(token) >= 43  # base64url of 256 bits
    row = FeedToken.get()
    stored = " ".join(str(value) for value in row.__data__.values())
    assert token not in stored
    assert client.get(url).status_code == 200


def test_regenerating_one_feed_kills_only_its_old_url(client, login, people, feed_url):
    personal = feed_url(people["agent"])
    skills = feed_url(people["agent"], "kind", "skill")
    login(people["agent"])
    feed = FeedToken.get(FeedToken.scope == "personal")
    assert client.post(f"/calendar/feeds/{feed.id}/regenerate").status_code == 302
    assert client.get(personal).status_code == 404
    assert client.get(skills).status_code == 200
    page = client.get("/calendar").get_data(as_text=True)
    new_url = FEED_ADDRESS.search(page).group(1)
    assert new_url != personal and "shown only now" in page
    assert client.get(new_url).status_code == 200


def test_revoked_feed_answers_404_at_once(client, login, people, feed_url):
    url = feed_url(people["agent"])
    login(people["agent"])
    feed = FeedToken.get()
    client.post(f"/calendar/feeds/{feed.id}/revoke")
    assert client.get(url).status_code == 404
    assert FeedToken.select().count() == 0


def test_nobody_else_can_regenerate_or_revoke_my_feed(client, login, people, feed_url):
    url = feed_url(people["agent"])
    feed = FeedToken.get()
    login(people["coach_a"])
    assert client.post(f"/calendar/feeds/{feed.id}/regenerate").status_code == 404
    assert client.post(f"/calendar/feeds/{feed.id}/revoke").status_code == 404
    assert client.get(url).status_code == 200


def test_deactivated_users_feeds_answer_404(client, people, feed_url):
    url = feed_url(people["agent"])
    people["agent"].active = False
    people["agent"].save()
    assert client.get(url).status_code == 404


def test_malformed_or_unknown_tokens_answer_404(client, people, feed_url):
    feed_url(people["agent"])
    for token in ("x", "A" * 43, "../../etc", "A" * 500):
        assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_calendar_page_shows_a_new_address_once_with_links_and_steps(client, login, people):
    login(people["agent"])
    response = client.post("/calendar/feeds", data={"feed": "personal"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    url = FEED_ADDRESS.search(page).group(1)
    assert "shown only now" in page
    assert "webcal://localhost/calendar/feed/" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert "data-calendar-copy" in page and "js/calendars.js" in page
    for client_name in ("Google Calendar", "Outlook", "Apple Calendar", "Thunderbird"):
        assert client_name in page
    assert "every several hours" in page
    assert client.get(url, headers={"User-Agent": "Google-Calendar-Importer"}).status_code == 200
    again = client.get("/calendar").get_data(as_text=True)
    assert url not in again and FEED_ADDRESS.search(again) is None
    assert "Calendar apps already subscribed to it keep working" in again and "New address" in again
    assert client.get(url).status_code == 200


def test_subscribing_from_the_page_makes_one_feed_per_calendar(client, login, people):
    login(people["agent"])
    client.post("/calendar/feeds", data={"feed": "personal"})
    client.post("/calendar/feeds", data={"feed": "personal"})
    client.post("/calendar/feeds", data={"feed": "kind:case_review"})
    assert client.post("/calendar/feeds", data={"feed": "series:99999"}).status_code == 302
    assert sorted(f.scope for f in FeedToken.select()) == ["kind", "personal"]
    assert "Calendar" in client.get("/").get_data(as_text=True)


def test_feed_tokens_never_reach_the_request_log(client, people, feed_url, caplog):
    url = feed_url(people["agent"])
    token = url.rsplit("/", 1)[1][:-4]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s %s', "127.0.0.1", "25/Nov/2026 10:00:00",
                                           f"GET {url} HTTP/1.1", "200", "-")
    assert token not in caplog.text
    assert "/calendar/feed/[token]" in caplog.text


def test_subscribing_needs_a_csrf_token(app, client, login, people):
    login(people["agent"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/calendar/feeds", data={"feed": "personal"}).status_code == 400
    assert FeedToken.select().count() == 0


def test_feed_addresses_keep_working_when_secret_key_changes(app, client, login, people):
    login(people["agent"])
    page = client.post("/calendar/feeds", data={"feed": "personal"}, follow_redirects=True).get_data(as_text=True)
    url = FEED_ADDRESS.search(page).group(1)
    app.config["SECRET_KEY"] = "a-new-secret-after-a-leak"
    assert client.get(url).status_code == 200
    assert "a-new-secret" not in " ".join(str(v) for v in FeedToken.get().__data__.values())


def test_an_older_feed_keeps_working_and_is_never_shown_with_a_dead_address_after_a_key_change(
        app, client, login, people):
    import hashlib
    import hmac
    from base64 import urlsafe_b64encode

    def old_style_token(secret, nonce):
        digest = hmac.new(secret.encode(), b"calendar-feed:" + nonce.encode(), hashlib.sha256).digest()
        return urlsafe_b64encode(digest).decode().rstrip("=")

    nonce = "ab" * 32
    token = old_style_token(app.config["SECRET_KEY"], nonce)
    FeedToken.create(user=people["agent"], scope="personal", nonce=nonce,
                     token_hash=hashlib.sha256(token.encode()).hexdigest())
    login(people["agent"])
    assert f"/calendar/feed/{token}.ics" in client.get("/calendar").get_data(as_text=True)
    app.config["SECRET_KEY"] = "a-new-secret-after-a-leak"
    login(people["agent"])  # the key signs the session cookie too
    page = client.get("/calendar").get_data(as_text=True)
    assert FEED_ADDRESS.search(page) is None
    assert f"/calendar/feed/{old_style_token(app.config['SECRET_KEY'], nonce)}.ics" not in page
    assert "Calendar apps already subscribed to it keep working" in page
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
