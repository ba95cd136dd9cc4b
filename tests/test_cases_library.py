"""The library: discussed cases with takeaways, searched by competency, channel and text,
paged; /cases and /library in a fixed number of queries."""
from learning.cases import meetups
from learning.competencies.models import Competency


def discussed(make_case, meetup, people, title, channel="phone", competency_ids=(), worked="Calm tone",
              anonymous=False):
    case = make_case(people["agent"], title=title, channel=channel, anonymous=anonymous)
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 10)
    meetups.record_takeaways(people["coach_a"], case.__class__.get_by_id(case.id), worked, "Promise less",
                             "Own the issue until it is resolved", competency_ids)
    return case


def test_the_library_lists_only_discussed_cases(client, login, people, make_case, make_meetup):
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "Delayed delivery before a birthday")
    make_case(people["agent"], title="Still in the queue")
    login(people["agent_b"])
    page = client.get("/library").data.decode()
    assert "Delayed delivery before a birthday" in page and "Still in the queue" not in page
    assert "Own the issue until it is resolved" in page


def test_the_library_searches_by_competency_channel_and_text(client, login, people, make_case, make_meetup):
    listen = Competency.create(name="Listen fully", area="Service principles")
    limits = Competency.create(name="Clear language for limits", area="Professional boundaries")
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "Refund demanded against policy", channel="email",
              competency_ids=[limits.id], worked="Held the line kindly")
    discussed(make_case, meetup, people, "Angry caller asking for a manager", channel="phone",
              competency_ids=[listen.id], worked="Let him finish")
    login(people["agent_b"])

    def titles(query):
        page = client.get("/library" + query).data.decode()
        return [t for t in ("Refund demanded", "Angry caller") if t in page]

    assert titles(f"?competency={limits.id}") == ["Refund demanded"]
    assert titles("?channel=phone") == ["Angry caller"]
    assert titles("?q=kindly") == ["Refund demanded"]
    assert titles("?q=MANAGER") == ["Angry caller"]
    assert titles("?q=100%25") == []
    assert titles("?channel=fax&competency=abc") == ["Refund demanded", "Angry caller"]


def test_the_library_is_paged(app, client, login, people, make_case, make_meetup):
    app.config["PAGE_SIZE"] = 2
    meetup = make_meetup(team=people["team_a"])
    for n in range(3):
        discussed(make_case, meetup, people, f"Library case number {n}")
    login(people["agent_b"])
    first = client.get("/library").data.decode()
    second = client.get("/library?page=2").data.decode()
    assert first.count("Library case number") == 2 and second.count("Library case number") == 1


def _fill(make_case, make_meetup, people, n, competency):
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    for i in range(n):
        discussed(make_case, meetup, people, f"Discussed {i}", competency_ids=[competency.id], anonymous=i % 2 == 0)
        make_case(people["agent"], title=f"Queued {i}", anonymous=i % 2 == 1)
    return meetup


def test_case_pages_run_a_fixed_number_of_queries(client, login, people, make_case, make_meetup, count_queries):
    competency = Competency.create(name="Listen fully", area="Service principles")
    login(people["coach_a"])          # the meetups are team A's: their agenda is for its coaches
    counts = []
    for n in (2, 6):
        meetup = _fill(make_case, make_meetup, people, n if not counts else n - 2, competency)
        run = []
        for url in ("/cases?show=queue", "/cases", "/library", f"/library?competency={competency.id}&q=Discussed",
                    f"/sessions/{meetup.id}/agenda"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            run.append(counter.count)
        counts.append(run)
    assert counts[0] == counts[1]
