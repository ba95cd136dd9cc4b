"""Ending sessions: signing out, a password change, a deactivation and "sign out everywhere"
end every session and remember-me cookie of the person, copies included; and where the
browser goes after signing in."""
import pytest

from learning.accounts import service
from learning.accounts.models import User
from learning.audit.models import AuditEntry
from tests.conftest import PASSWORD

SESSION, REMEMBER = "session", "remember_token"


def signed_in_device(app, user, remember=True):
    device = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert device.post("/login", data=data).status_code == 302
    return device


def copy_of(app, device, *names):
    """Another browser holding copies of `device`'s cookies (a stolen or backed-up cookie)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, device.get_cookie(name).value)
    return thief


def opens_profile(device):
    return device.get("/profile").status_code == 200


def copies(app, device):
    """A copy of the whole cookie jar, and a copy of the remember-me cookie alone."""
    return copy_of(app, device, SESSION, REMEMBER), copy_of(app, device, REMEMBER)


def test_copied_session_and_remember_cookies_open_the_profile_before_sign_out(app, make_user):
    device = signed_in_device(app, make_user())
    assert all(opens_profile(copy) for copy in copies(app, device))


def test_signing_out_ends_copies_of_the_session_and_the_remember_cookie(app, make_user):
    user = make_user()
    device = signed_in_device(app, user)
    other_device = signed_in_device(app, user)
    stolen = copies(app, device)
    assert device.post("/logout").status_code == 302
    assert not any(opens_profile(copy) for copy in stolen)
    assert not opens_profile(other_device)
    assert opens_profile(signed_in_device(app, user))


def test_a_password_change_ends_every_other_session_and_remember_cookie(app, make_user):
    user = make_user()
    device = signed_in_device(app, user)
    stolen = copies(app, device)
    response = device.post("/profile", data={"password-current_password": PASSWORD,
                                             "password-new_password": "a-new-long-secret",
                                             "password-confirm": "a-new-long-secret"})
    assert response.status_code == 302
    assert opens_profile(device)
    assert not any(opens_profile(copy) for copy in stolen)


def test_deactivation_by_an_admin_ends_every_session_and_remember_cookie(app, client, login, people):
    agent = people["agent"]
    device = signed_in_device(app, agent)
    stolen = copies(app, device)
    login(people["admin"])
    client.post(f"/admin/users/{agent.id}", data={"display_name": agent.display_name, "email": agent.email,
                                                  "role": "agent", "team": agent.team_id, "timezone": agent.timezone})
    assert not User.get_by_id(agent.id).active
    service.set_active(User.get_by_id(agent.id), True)
    assert not any(opens_profile(d) for d in (device, *stolen))


def test_admin_signs_a_person_out_everywhere_and_it_is_audited(app, client, login, people):
    agent = people["agent"]
    devices = [signed_in_device(app, agent), signed_in_device(app, agent, remember=False)]
    stolen = copies(app, devices[0])
    login(people["admin"])
    page = client.get(f"/admin/users/{agent.id}").get_data(as_text=True)
    assert f"/admin/users/{agent.id}/sign-out-everywhere" in page
    response = client.post(f"/admin/users/{agent.id}/sign-out-everywhere")
    assert response.status_code == 302 and response.location.endswith(f"/admin/users/{agent.id}")
    assert not any(opens_profile(d) for d in (*devices, *stolen))
    assert opens_profile(client)  # the admin's own session is untouched
    entry = AuditEntry.get(AuditEntry.action == "user.signed-out-everywhere")
    assert (entry.actor_id, entry.subject_id) == (people["admin"].id, agent.id)


@pytest.mark.parametrize("seat", ["agent", "other_agent", "coach_a", "coach_b"])
def test_only_admins_may_sign_someone_else_out_everywhere(app, client, login, people, seat):
    target = people["agent"] if seat != "agent" else people["other_agent"]
    device = signed_in_device(app, target)
    login(people[seat])
    assert client.post(f"/admin/users/{target.id}/sign-out-everywhere").status_code == 403
    assert opens_profile(device)
    assert User.get_by_id(target.id).session_version == 1


def test_anonymous_sign_out_everywhere_goes_to_sign_in_and_an_unknown_person_is_404(app, client, login, people):
    device = signed_in_device(app, people["agent"])
    response = client.post(f"/admin/users/{people['agent'].id}/sign-out-everywhere")
    assert response.status_code == 302 and "/login" in response.location
    assert client.post("/profile/sign-out-everywhere").status_code == 302
    assert opens_profile(device)
    login(people["admin"])
    assert client.post("/admin/users/999999/sign-out-everywhere").status_code == 404


def test_a_person_signs_out_everywhere_from_their_profile(app, people):
    agent = people["agent"]
    here, elsewhere = signed_in_device(app, agent), signed_in_device(app, agent)
    stolen = copies(app, elsewhere)
    assert "/profile/sign-out-everywhere" in here.get("/profile").get_data(as_text=True)
    response = here.post("/profile/sign-out-everywhere")
    assert response.status_code == 302 and "/login" in response.location
    assert not any(opens_profile(d) for d in (here, elsewhere, *stolen))
    assert opens_profile(signed_in_device(app, people["other_agent"]))


def test_signing_out_everywhere_needs_a_csrf_token(app, people):
    device = signed_in_device(app, people["agent"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert device.post("/profile/sign-out-everywhere").status_code == 400
    assert opens_profile(device)


def test_a_stale_copy_of_the_person_saved_later_does_not_revive_ended_sessions(app, make_user):
    user = make_user()
    device = signed_in_device(app, user)
    stale = User.get_by_id(user.id)
    service.sign_out_everywhere(User.get_by_id(user.id), user)
    stale.display_name = "Renamed meanwhile"
    stale.save()
    assert User.get_by_id(user.id).display_name == "Renamed meanwhile"
    assert not opens_profile(device)


HOSTILE_NEXT = [
    "//evil.example/", "/\t/evil.example", "/\r\n/evil.example", "/\n/evil.example",
    "\\\\evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example/", "http:evil.example",
    "javascript:alert(1)", "\tjavascript:alert(1)", "  //evil.example", "\x01//evil.example", "evil.example",
    "/profile\r\nSet-Cookie: x=1", "%2F%2Fevil.example", "///evil.example", "/\x7f/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_follows_next_to_another_site(client, make_user, target):
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("raw", ["next=%0d%0a", "next=/%0d%0aSet-Cookie:%20x=1", "next=/%09/evil.example"])
def test_line_breaks_and_tabs_in_next_are_refused_cleanly(client, make_user, raw):
    user = make_user()
    assert client.get(f"/login?{raw}").status_code == 200
    response = client.post(f"/login?{raw}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("target", ["/profile", "/sessions?kind=skill&page=2", "/cases/3#discussion"])
def test_sign_in_follows_next_to_a_page_of_this_site(client, make_user, target):
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.location == target
