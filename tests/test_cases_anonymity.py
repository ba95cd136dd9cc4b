"""'Share without my name': peers never see the author on any page that shows the case;
the author's coaches, the meetup's coaches and admins do."""
import re

from learning.cases import meetups


def anonymous_case_on_agenda(make_case, make_meetup, people, discussed=False):
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"], people["agent_b"]])
    case = make_case(people["agent"], anonymous=True, title="Angry caller asking for a manager")
    other = make_case(people["agent"], anonymous=True, title="Queued and nameless")
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 15)
    case = case.__class__.get_by_id(case.id)
    meetups.add_comment(people["agent"], case, "I was shaking after that call.")
    if discussed:
        meetups.record_takeaways(people["coach_a"], case, "Stayed calm", "Offer a callback", "Clear limits", [])
    return case, other, meetup


def pages(case, other, meetup):
    return ["/cases?show=queue", f"/cases/{case.id}", f"/cases/{other.id}", f"/sessions/{meetup.id}/agenda",
            "/library"]


def test_peers_never_see_the_author_of_an_anonymous_case(client, login, people, make_case, make_meetup):
    case, other, meetup = anonymous_case_on_agenda(make_case, make_meetup, people)
    name = people["agent"].display_name
    login(people["other_agent"])
    for url in pages(case, other, meetup):
        response = client.get(url)
        assert response.status_code == 200, url
        assert name not in response.data.decode(), url
    assert "Shared without a name" in client.get(f"/cases/{case.id}").data.decode()
    assert "The case&#39;s author" in client.get(f"/cases/{case.id}").data.decode()


def test_anonymity_holds_in_the_library(client, login, people, make_case, make_meetup):
    case, other, meetup = anonymous_case_on_agenda(make_case, make_meetup, people, discussed=True)
    name = people["agent"].display_name
    login(people["coach_b"])  # a coach of neither the author nor the meetup
    for url in ("/library", f"/cases/{case.id}", f"/library?q=manager"):
        page = re.sub("</?mark>", "", client.get(url).data.decode())   # a search marks the words it found
        assert case.title in page and name not in page, url


def test_the_authors_coach_the_meetups_facilitator_and_admins_see_the_name(client, login, people, make_case,
                                                                          make_meetup, make_user):
    facilitator = make_user("coach", name="Meetup Facilitator")
    meetup = make_meetup(team=None, going=[people["other_agent"]], facilitator=facilitator)
    case = make_case(people["agent"], anonymous=True)
    meetups.add_to_agenda(facilitator, meetup, case.id, 15)
    name = people["agent"].display_name
    for someone in (people["coach_a"], facilitator, people["admin"], people["agent"]):
        login(someone)
        assert name in client.get(f"/cases/{case.id}").data.decode(), someone.display_name
        assert name in client.get(f"/sessions/{meetup.id}/agenda").data.decode(), someone.display_name


def test_a_named_case_shows_its_author_to_peers(client, login, people, make_case, make_meetup):
    make_meetup(team=people["team_a"], going=[people["other_agent"]])
    case = make_case(people["agent"])
    login(people["other_agent"])
    assert people["agent"].display_name in client.get(f"/cases/{case.id}").data.decode()
