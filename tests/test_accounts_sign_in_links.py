"""Invitations and password resets: single-use links, stored hashed, bound to the password
they were issued against, expiring, mailed through the outbox; the forgotten-password page
answers alike whether the address exists; requests are throttled; a new password ends every
other session."""
import threading
from datetime import timedelta

import pytest

from learning.accounts import sign_in_links, throttle
from learning.accounts.models import User
from learning.accounts.sign_in_links import SignInLink
from learning.accounts.signals import people_created
from learning.db import db, utcnow
from learning.notify import outbox
from learning.notify.mail import build_message
from learning.notify.models import OutboxMessage
from learning.refusals import Refused
from learning.request_log import mask_secrets
from tests.conftest import PASSWORD
from tests.fixtures_accounts import sign_in_links as mailed, token_of

NEW_PASSWORD = "a-new-and-long-one"


def add_by_hand(client, login, admin, email="newcomer@example.org", **extra):
    login(admin)
    response = client.post("/admin/users/new", data={"display_name": "New Comer", "email": email, "role": "agent",
                                                     "team": 0, "timezone": "Europe/Berlin", **extra})
    assert response.status_code == 302
    client.post("/logout")
    return User.get(User.email == email)


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"password": password, "confirm": confirm or password})


def test_a_person_added_by_hand_gets_an_invitation_and_chooses_a_password(app, client, login, people):
    person = add_by_hand(client, login, people["admin"])
    [link] = mailed(person.email, "invitation")
    assert link.startswith("/invitation/")
    page = client.get(link)
    assert page.status_code == 200 and "Welcome, New Comer" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"   # the link is a secret
    response = choose(client, link)
    assert response.status_code == 302 and response.location.endswith("/")
    assert "New Comer" in client.get("/profile").get_data(as_text=True)
    assert User.get_by_id(person.id).check_password(NEW_PASSWORD)
    assert User.get_by_id(person.id).last_sign_in_at is not None
    assert client.get(link).status_code == 410   # single use


def test_the_link_is_stored_hashed_and_the_mail_holds_the_only_copy(app, client, login, people):
    person = add_by_hand(client, login, people["admin"])
    token = token_of(mailed(person.email, "invitation")[0])
    stored = SignInLink.get(SignInLink.user == person.id)
    selector, secret = token.split(".")
    assert stored.selector == selector and secret not in stored.token_hash and len(stored.token_hash) == 64
    message = OutboxMessage.get(OutboxMessage.to_address == person.email)
    with app.app_context():
        mail = build_message(message)
        assert "List-Unsubscribe" not in mail
        assert f"http://localhost:5000/invitation/{token}" in mail.get_body(("plain",)).get_content()
        assert outbox.send_due() == 1
    assert OutboxMessage.get_by_id(message.id).link == ""   # sent: the outbox keeps no copy


def test_an_admin_may_still_set_an_initial_password_and_the_invitation_goes_too(app, client, login, people):
    person = add_by_hand(client, login, people["admin"], password="shared-privately-1")
    assert person.check_password("shared-privately-1")
    assert len(mailed(person.email, "invitation")) == 1


def test_people_created_by_an_import_are_invited_in_batches(app, people, make_user, count_queries):
    few = [make_user().id for _ in range(3)]
    many = [make_user().id for _ in range(30)]
    User.update(active=False).where(User.id == many[0]).execute()
    with count_queries() as small:
        people_created.send(None, user_ids=few)
    with count_queries() as large:
        people_created.send(None, user_ids=many)
    assert large.count == small.count
    assert OutboxMessage.select().where(OutboxMessage.kind == "invitation").count() == 3 + 29


def test_an_invitation_expires_after_seven_days(app, client, people, make_user):
    person = make_user()
    [(_, token)] = sign_in_links.issue([person], "invitation")
    link = SignInLink.get(SignInLink.user == person.id)
    assert link.expires_at - link.created_at == timedelta(days=7)
    SignInLink.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 410 and "This link no longer works" in response.get_data(as_text=True)
    assert choose(client, f"/invitation/{token}").status_code == 410
    assert User.get_by_id(person.id).check_password(PASSWORD)


@pytest.mark.parametrize("token", ["", "nothing", "a.b", "x" * 40 + ".y", "\u00e9.\u00e9"])
def test_a_made_up_link_opens_nothing(client, people, token):
    assert client.get(f"/password/reset/{token}").status_code in (404, 410)
    assert choose(client, f"/password/reset/{token}").status_code in (404, 410)


def test_a_weak_password_is_refused_and_the_link_still_works(client, people):
    agent = people["agent"]
    [(_, token)] = sign_in_links.issue([agent], "reset")
    refused = choose(client, f"/password/reset/{token}", password="short")
    assert refused.status_code == 200 and "at least 10 characters" in refused.get_data(as_text=True)
    mismatch = choose(client, f"/password/reset/{token}", confirm="something-else-entirely")
    assert "The two passwords differ." in mismatch.get_data(as_text=True)
    same_as_email = choose(client, f"/password/reset/{token}", password=agent.email)
    assert "Do not use your e-mail address" in same_as_email.get_data(as_text=True)
    assert User.get_by_id(agent.id).check_password(PASSWORD)
    assert choose(client, f"/password/reset/{token}").status_code == 302


def test_forgot_password_answers_alike_for_known_and_unknown_addresses(client, people):
    known = client.post("/password/forgot", data={"email": people["agent"].email.upper()}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert "If an account uses that address" in known.get_data(as_text=True)
    assert len(mailed(people["agent"].email, "password_reset")) == 1
    assert not mailed("nobody@example.org", "password_reset")


def test_a_reset_link_lasts_an_hour_and_sets_the_password_once(client, people):
    agent = people["agent"]
    client.post("/password/forgot", data={"email": agent.email})
    [link] = mailed(agent.email, "password_reset")
    stored = SignInLink.get(SignInLink.user == agent.id)
    assert stored.expires_at - stored.created_at == timedelta(hours=1)
    assert choose(client, link).status_code == 302
    assert User.get_by_id(agent.id).check_password(NEW_PASSWORD)
    client.post("/logout")
    assert choose(client, link, password="yet-another-password").status_code == 410
    assert User.get_by_id(agent.id).check_password(NEW_PASSWORD)


def test_a_reset_link_dies_once_the_password_changes_another_way(app, login, people):
    agent = people["agent"]
    [(_, token)] = sign_in_links.issue([agent], "reset")
    client = login(agent)
    client.post("/profile", data={"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD,
                                  "password-confirm": NEW_PASSWORD})
    assert User.get_by_id(agent.id).check_password(NEW_PASSWORD)
    assert client.get(f"/password/reset/{token}").status_code == 410


def test_a_newer_invitation_replaces_the_older_one(people, make_user):
    person = make_user()
    [(_, first)] = sign_in_links.issue([person], "invitation")
    [(_, second)] = sign_in_links.issue([person], "invitation")
    assert sign_in_links.holder_of(first, "invitation") is None
    assert sign_in_links.holder_of(second, "invitation")[1].id == person.id
    assert sign_in_links.holder_of(second, "reset") is None   # a link opens only its own page


def test_a_deactivated_persons_links_do_not_work_and_no_reset_is_mailed(client, people):
    agent = people["agent"]
    [(_, token)] = sign_in_links.issue([agent], "reset")
    User.update(active=False).where(User.id == agent.id).execute()
    assert client.get(f"/password/reset/{token}").status_code == 410
    client.post("/password/forgot", data={"email": agent.email})
    assert len(mailed(agent.email, "password_reset")) == 1   # only the one issued above


def test_setting_a_new_password_ends_every_other_session(app, login, people):
    agent = people["agent"]
    elsewhere = login(agent)
    assert elsewhere.get("/profile").status_code == 200
    [(_, token)] = sign_in_links.issue([agent], "reset")
    here = app.test_client()
    assert choose(here, f"/password/reset/{token}").status_code == 302
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302   # to the sign-in page


def test_forgot_password_is_throttled_per_address_typed_whether_it_exists_or_not(client, people):
    for email in (people["agent"].email, "nobody@example.org"):
        for _ in range(throttle.MAX_RESETS_PER_ACCOUNT):
            assert client.post("/password/forgot", data={"email": email}).status_code == 302
        refused = client.post("/password/forgot", data={"email": email})
        assert refused.status_code == 429 and "Too many requests" in refused.get_data(as_text=True)
    assert len(mailed(people["agent"].email, "password_reset")) == throttle.MAX_RESETS_PER_ACCOUNT


def test_forgot_password_is_throttled_per_network_address(app, people):
    client = app.test_client()
    office = {"REMOTE_ADDR": "203.0.113.7"}
    for n in range(throttle.MAX_RESETS_PER_ADDRESS):
        client.post("/password/forgot", data={"email": f"spray-{n}@example.org"}, environ_base=office)
    refused = client.post("/password/forgot", data={"email": people["agent"].email}, environ_base=office)
    assert refused.status_code == 429
    other = client.post("/password/forgot", data={"email": people["agent"].email},
                        environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert other.status_code == 302


def test_admins_invite_again_everyone_active_who_never_signed_in(app, client, login, people, make_user):
    waiting, gone = make_user(name="Never Came"), make_user(name="Left Early")
    User.update(active=False).where(User.id == gone.id).execute()
    [(_, old_token)] = sign_in_links.issue([waiting], "invitation")
    login(people["admin"])   # signs the admin in: they are no longer "never signed in"
    User.update(last_sign_in_at=utcnow()).where(User.id << [people["agent"].id, people["coach_a"].id]).execute()
    response = client.post("/admin/users/invitations", follow_redirects=True)
    assert "Sent" in response.get_data(as_text=True)
    invited = {m.to_address for m in OutboxMessage.select().where(OutboxMessage.kind == "invitation")}
    assert waiting.email in invited and gone.email not in invited
    assert people["agent"].email not in invited and people["admin"].email not in invited
    assert sign_in_links.holder_of(old_token, "invitation") is None
    assert sign_in_links.holder_of(token_of(mailed(waiting.email, "invitation")[-1]), "invitation")


def test_only_admins_may_invite_again(client, login, people):
    for seat in ("agent", "coach_a"):
        login(people[seat])
        assert client.post("/admin/users/invitations").status_code == 403
    assert not OutboxMessage.select().exists()


def test_where_only_single_sign_on_is_used_people_get_a_welcome_without_a_link(app, people, make_user):
    app.config.update(OIDC_ISSUER="https://id.example", OIDC_ONLY=True, OIDC_NAME="Example ID")
    agent, admin = make_user(), make_user("admin")
    with app.app_context():
        people_created.send(None, user_ids=[agent.id, admin.id])
    welcome = OutboxMessage.get(OutboxMessage.to_address == agent.email)
    assert (welcome.kind, welcome.link) == ("welcome", "/login") and "Sign in with Example ID" in welcome.body
    assert mailed(admin.email, "invitation")
    assert not SignInLink.select().where(SignInLink.user == agent.id).exists()


def test_sign_in_links_are_masked_in_the_logs():
    assert mask_secrets("GET /invitation/abc.def HTTP/1.1") == "GET /invitation/[token] HTTP/1.1"
    assert mask_secrets("/password/reset/abc.def?x=1") == "/password/reset/[token]?x=1"


def test_two_tabs_posting_one_link_at_once_set_one_password(app, people):
    agent = people["agent"]
    [(_, token)] = sign_in_links.issue([agent], "reset")
    db.close()
    outcomes, barrier = [], threading.Barrier(2)

    def redeem(password):
        barrier.wait()
        try:
            with db.connection_context():
                sign_in_links.choose_password(token, "reset", password)
            outcomes.append(password)
        except Refused:
            outcomes.append("refused")

    threads = [threading.Thread(target=redeem, args=(p,)) for p in ("first-long-password", "second-long-password")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.connect(reuse_if_open=True)
    assert outcomes.count("refused") == 1
    [winner] = [o for o in outcomes if o != "refused"]
    assert User.get_by_id(agent.id).check_password(winner)
