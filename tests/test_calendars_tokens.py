"""Feed tokens and the calendar page: secret, hashed, scoped to their owner, revocable one by one."""
import logging

from learning.calendars.models import FeedToken


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
    new_url = feed_url(people["agent"])
    assert new_url != personal and new_url in page
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


def test_calendar_page_lists_feed_links_steps_and_last_fetch(client, login, people, feed_url):
    url = feed_url(people["agent"])
    client.get(url, headers={"User-Agent": "Google-Calendar-Importer"})
    login(people["agent"])
    response = client.get("/calendar")
    page = response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert f"http://localhost{url}" in page
    assert "webcal://localhost/calendar/feed/" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert "data-calendar-copy" in page and "js/calendars.js" in page
    for client_name in ("Google Calendar", "Outlook", "Apple Calendar", "Thunderbird"):
        assert client_name in page
    assert "every several hours" in page
    assert "Google-Calendar-Importer" in page and "Last fetched" in page


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
