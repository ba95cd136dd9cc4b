"""The notification centre: the list, read/unread, the nav count, permissions,
preferences and the unsubscribe link."""
import re
from datetime import timedelta

from learning.db import utcnow
from learning.notify.kinds import KINDS
from learning.notify.models import Notification, OutboxMessage, Preference
from learning.notify.service import notify
from learning.notify.tokens import unsubscribe_token


def add_notices(user, count, kind="coaching"):
    start = utcnow() - timedelta(hours=count)
    for n in range(count):
        Notification.create(user=user, kind=kind, text=f"Notice number {n}", link="/coaching",
                            created_at=start + timedelta(minutes=n))


def test_the_centre_shows_every_kind_of_notice_newest_first(client, login, people):
    agent = people["agent"]
    for kind in KINDS:
        notify([agent.id], kind, f"About {kind}", f"/somewhere/{kind}")
    html = login(agent).get("/notifications").get_data(as_text=True)
    for kind in KINDS:
        assert f"About {kind}" in html and f'href="/somewhere/{kind}"' in html
    positions = [html.index(f"About {kind}") for kind in KINDS]
    assert positions == sorted(positions, reverse=True)


def test_newest_notice_comes_first(client, login, people):
    agent = people["agent"]
    add_notices(agent, 3)
    html = login(agent).get("/notifications").get_data(as_text=True)
    assert html.index("Notice number 2") < html.index("Notice number 1") < html.index("Notice number 0")


def test_the_nav_counts_unread_notices_and_mark_all_read_clears_it(client, login, people):
    agent = people["agent"]
    add_notices(agent, 3)
    add_notices(people["other_agent"], 2)
    client = login(agent)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'Notifications <span class="badge"[^>]*>3</span>', page)
    assert re.search(r'class="nav-toggle"[^>]*>Menu <span class="badge"[^>]*>3</span>', page)  # on a phone
    response = client.post("/notifications/read-all")
    assert response.status_code == 302
    html = client.get("/notifications").get_data(as_text=True)
    assert "3 notices marked read." in html
    assert not re.search(r'Notifications <span class="badge"', html)
    assert re.search(r'class="nav-toggle"[^>]*>Menu</button>', html)
    assert Notification.select().where(Notification.read_at.is_null()).count() == 2  # the other person's


def test_the_nav_badge_counts_at_most_a_hundred_and_says_99_plus(client, login, people):
    from learning.notify.service import unread_count

    agent = people["agent"]
    Notification.insert_many([{"user": agent.id, "kind": "coaching", "text": f"Notice {n}", "link": "/coaching",
                               "created_at": utcnow()} for n in range(130)]).execute()
    client = login(agent)
    assert re.search(r'Notifications <span class="badge" title="Over 99 waiting">99\+</span>',
                     client.get("/").get_data(as_text=True))
    assert unread_count(agent) == 130 and unread_count(agent, most=100) == 100
    Notification.update(read_at=utcnow()).where(Notification.id.in_(
        Notification.select(Notification.id).where(Notification.user == agent.id).limit(31))).execute()
    assert re.search(r'Notifications <span class="badge" title="99 waiting">99</span>',
                     client.get("/").get_data(as_text=True))


def test_marking_one_read_leaves_the_others_unread(client, login, people):
    agent = people["agent"]
    add_notices(agent, 2)
    first = Notification.select().order_by(Notification.id).first()
    client = login(agent)
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert Notification.get_by_id(first.id).read_at is not None
    html = client.get("/notifications?show=unread").get_data(as_text=True)
    assert "Notice number 1" in html and "Notice number 0" not in html


def test_mark_read_can_open_what_the_notice_is_about(client, login, people):
    add_notices(people["agent"], 1)
    notice = Notification.get()
    response = login(people["agent"]).post(f"/notifications/{notice.id}/read", data={"open": "1"})
    assert response.headers["Location"] == "/coaching"


def test_another_persons_notice_answers_404_and_stays_unread(client, login, people):
    add_notices(people["other_agent"], 1)
    notice = Notification.get()
    assert login(people["agent"]).post(f"/notifications/{notice.id}/read").status_code == 404
    assert Notification.get_by_id(notice.id).read_at is None
    assert "Notice number 0" not in client.get("/notifications").get_data(as_text=True)


def test_marking_read_changes_nothing_on_get(client, login, people):
    add_notices(people["agent"], 1)
    notice = Notification.get()
    assert login(people["agent"]).get(f"/notifications/{notice.id}/read").status_code == 405
    assert Notification.get_by_id(notice.id).read_at is None


def test_the_centre_is_paged(client, login, people, app):
    add_notices(people["agent"], app.config["PAGE_SIZE"] + 3)
    client = login(people["agent"])
    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert 'href="/notifications?page=2"' in first and "Notice number 0" in second and "Notice number 0" not in first
    assert "Page 2" in second and "Next →" not in second


def test_the_centre_runs_the_same_queries_for_few_and_many_notices(client, login, people, count_queries):
    agent = people["agent"]
    client = login(agent)
    add_notices(agent, 2)
    with count_queries() as few:
        client.get("/notifications")
    add_notices(agent, 40)
    with count_queries() as many:
        client.get("/notifications")
    assert few.count == many.count <= 5


def test_the_centre_needs_sign_in(client):
    assert client.get("/notifications").status_code == 302


def test_preferences_are_saved_per_kind_and_decide_whether_mail_is_queued(client, login, people):
    agent = people["agent"]
    client = login(agent)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Daily digest e-mail" in page
    choices = {kind: "email" for kind in KINDS} | {"coaching": "app", "module": "digest"}
    response = client.post("/notifications/preferences", data=choices)
    assert response.status_code == 302
    assert dict(Preference.select(Preference.kind, Preference.channel).where(
        Preference.user == agent, Preference.channel != "email").tuples()) == {"coaching": "app", "module": "digest"}
    notify([agent.id], "coaching", "Answered.")
    notify([agent.id], "module", "Enrolled.")
    notify([agent.id], "case", "Scheduled.")
    assert [m.kind for m in OutboxMessage.select()] == ["case"]
    assert Notification.get(Notification.kind == "module").digest_pending


def test_a_preference_outside_the_choices_is_refused_and_nothing_saved(client, login, people):
    client = login(people["agent"])
    response = client.post("/notifications/preferences",
                           data={kind: "email" for kind in KINDS} | {"coaching": "pigeon"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert Preference.select().count() == 0


def test_the_unsubscribe_link_works_without_sign_in_after_a_confirming_click(client, people, app):
    agent = people["agent"]
    with app.test_request_context():
        token = unsubscribe_token(agent.id, "session_change")
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop these e-mails?" in page.get_data(as_text=True)
    assert Preference.select().count() == 0          # a GET (e.g. a link scanner) changes nothing
    done = client.post(f"/notifications/unsubscribe/{token}")
    assert done.status_code == 200 and "no longer get these e-mails" in done.get_data(as_text=True)
    assert Preference.get(Preference.user == agent).channel == "app"
    notify([agent.id], "session_change", "Moved.")
    assert OutboxMessage.select().count() == 0 and Notification.select().count() == 1


def test_a_forged_unsubscribe_link_answers_404(client, people, app):
    with app.test_request_context():
        token = unsubscribe_token(people["agent"].id, "session_change")
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.get("/notifications/unsubscribe/nonsense").status_code == 404
    assert Preference.select().count() == 0
