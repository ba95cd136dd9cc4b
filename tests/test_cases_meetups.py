"""The meetup: votes, agenda building, carry-over, discussion and takeaways."""
import threading
from datetime import timedelta

import peewee as pw
import pytest

from learning.cases import meetups, service
from learning.cases.models import AgendaItem, Case, Comment, Takeaway, Vote
from learning.cases.signals import case_discussed, case_scheduled
from learning.db import db, utcnow
from learning.schedule.models import Session
from learning.refusals import Refused


def test_people_going_upvote_a_queued_case_once(client, login, people, make_case, make_meetup):
    case = make_case(people["agent"])
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    login(people["other_agent"])
    client.post(f"/cases/{case.id}/vote")
    response = client.post(f"/cases/{case.id}/vote", follow_redirects=True)
    assert "You have already voted for this case." in response.data.decode()
    assert Vote.select().where(Vote.case == case).count() == 1
    agenda = client.get(f"/sessions/{meetup.id}/agenda").data.decode()
    assert "1 vote" in agenda and "voted" in agenda


def test_voting_is_refused_to_people_not_going_and_to_the_author(client, login, people, make_case, make_meetup):
    case = make_case(people["agent"])
    make_meetup(team=people["team_a"], going=[people["agent"]])
    for someone in ("agent", "coach_a"):
        login(people[someone])
        client.post(f"/cases/{case.id}/vote")
    assert Vote.select().count() == 0


def test_the_unique_index_refuses_a_second_vote_row(people, make_case):
    case = make_case(people["agent"])
    Vote.create(case=case, user=people["other_agent"])
    with pytest.raises(pw.IntegrityError):
        with db.atomic():
            Vote.create(case=case, user=people["other_agent"])


def test_two_simultaneous_votes_by_one_person_count_once(app, people, make_case, make_meetup, db_url):
    case = make_case(people["agent"])
    make_meetup(team=people["team_a"], going=[people["other_agent"]])
    db.close()
    outcomes = []
    barrier = threading.Barrier(2)

    def vote():
        barrier.wait()
        try:
            with db.connection_context():
                service.upvote(people["other_agent"], case)
            outcomes.append("ok")
        except Refused:
            outcomes.append("refused")

    threads = [threading.Thread(target=vote) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.connect(reuse_if_open=True)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Vote.select().count() == 1


def test_the_queue_orders_cases_by_votes(client, login, people, make_case, make_meetup, make_user):
    quiet = make_case(people["agent"], title="Quiet case")
    wanted = make_case(people["agent"], title="Wanted case")
    voters = [make_user("agent", team=people["team_a"]) for _ in range(2)]
    meetup = make_meetup(team=people["team_a"], going=voters)
    for voter in voters:
        service.upvote(voter, wanted)
    assert [c.title for c in meetups.queue_for(meetup)] == ["Wanted case", "Quiet case"]
    login(people["coach_a"])
    page = client.get(f"/sessions/{meetup.id}/agenda").data.decode()
    assert page.index("Wanted case") < page.index(quiet.title)


def test_the_facilitator_builds_an_ordered_agenda_with_time_boxes(client, login, people, make_case, make_meetup):
    first, second = make_case(people["agent"], title="First"), make_case(people["agent"], title="Second")
    meetup = make_meetup(team=people["team_a"])
    login(people["coach_a"])
    client.post(f"/sessions/{meetup.id}/agenda", data={"case_id": first.id, "minutes": 20})
    client.post(f"/sessions/{meetup.id}/agenda", data={"case_id": second.id, "minutes": 10})
    items = meetups.agenda_for(meetup)
    assert [(i.case.title, i.minutes) for i in items] == [("First", 20), ("Second", 10)]
    client.post(f"/sessions/{meetup.id}/agenda/{items[1].id}/up")
    client.post(f"/sessions/{meetup.id}/agenda/{items[1].id}/time", data={"minutes": 25})
    assert [(i.case.title, i.minutes) for i in meetups.agenda_for(meetup)] == [("Second", 25), ("First", 20)]
    assert Case.get_by_id(first.id).status == "scheduled" and Case.get_by_id(first.id).meetup_id == meetup.id
    client.post(f"/sessions/{meetup.id}/agenda/{items[0].id}/remove")
    assert Case.get_by_id(first.id).status == "submitted"
    assert [i.case.title for i in meetups.agenda_for(meetup)] == ["Second"]


def test_bad_agenda_input_writes_nothing(client, login, people, make_case, make_meetup):
    case = make_case(people["agent"])
    other_team_case = make_case(people["agent_b"])
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    login(people["coach_a"])
    for data in ({"case_id": case.id, "minutes": 0}, {"case_id": case.id, "minutes": 500},
                 {"case_id": "x", "minutes": 10}, {"case_id": other_team_case.id, "minutes": 10},
                 {"case_id": 99999, "minutes": 10}):
        client.post(f"/sessions/{meetup.id}/agenda", data=data)
    login(people["coach_b"])  # coaches another team
    client.post(f"/sessions/{meetup.id}/agenda", data={"case_id": case.id, "minutes": 10})
    login(people["other_agent"])  # going, but not a coach
    assert client.post(f"/sessions/{meetup.id}/agenda", data={"case_id": case.id, "minutes": 10}).status_code == 403
    assert AgendaItem.select().count() == 0


def test_cases_cannot_go_on_a_cancelled_or_past_meetup(people, make_case, make_meetup):
    from datetime import timedelta

    case = make_case(people["agent"])
    for meetup in (make_meetup(team=people["team_a"], status="cancelled"),
                   make_meetup(team=people["team_a"], starts_in=timedelta(days=-1))):
        with pytest.raises(Refused):
            meetups.add_to_agenda(people["coach_a"], meetup, case.id, 10)
    assert AgendaItem.select().count() == 0 and Case.get_by_id(case.id).status == "submitted"


def test_carry_over_moves_the_case_to_the_next_meetup_of_the_series(client, login, people, make_case,
                                                                     make_meetup):
    from datetime import timedelta

    case = make_case(people["agent"], title="Patient family in distress")
    this = make_meetup(team=people["team_a"])
    later = make_meetup(series=this.series, starts_in=timedelta(days=21))
    following = make_meetup(series=this.series, starts_in=timedelta(days=14))
    meetups.add_to_agenda(people["coach_a"], this, case.id, 30)
    item = AgendaItem.get()
    login(people["coach_a"])
    client.post(f"/sessions/{this.id}/agenda/{item.id}/carry-over")
    assert AgendaItem.get_by_id(item.id).outcome == "carried_over"
    moved = AgendaItem.get(AgendaItem.session == following.id)
    assert moved.case_id == case.id and moved.minutes == 30 and moved.outcome == "planned"
    assert Case.get_by_id(case.id).meetup_id == following.id
    assert not AgendaItem.select().where(AgendaItem.session == later.id).exists()
    assert "carried over" in client.get(f"/sessions/{this.id}/agenda").data.decode()
    assert case.title in client.get(f"/sessions/{following.id}/agenda").data.decode()


def test_carry_over_without_a_next_meetup_is_refused(people, make_case, make_meetup):
    case = make_case(people["agent"])
    meetup = make_meetup(team=people["team_a"])
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 15)
    with pytest.raises(Refused):
        meetups.carry_over(people["coach_a"], meetup, AgendaItem.get().id)
    assert AgendaItem.get().outcome == "planned"


def test_scheduling_and_discussing_send_signals(people, make_case, make_meetup):
    received = []
    scheduled = lambda case, session: received.append(("scheduled", case.id, session.id))  # noqa: E731
    discussed = lambda case, session: received.append(("discussed", case.id, session.id))  # noqa: E731
    case_scheduled.connect(scheduled)
    case_discussed.connect(discussed)
    try:
        case = make_case(people["agent"])
        meetup = make_meetup(team=people["team_a"])
        meetups.add_to_agenda(people["coach_a"], meetup, case.id, 15)
        meetups.record_takeaways(people["coach_a"], Case.get_by_id(case.id), "a", "b", "c", [])
    finally:
        case_scheduled.disconnect(scheduled)
        case_discussed.disconnect(discussed)
    assert received == [("scheduled", case.id, meetup.id), ("discussed", case.id, meetup.id)]


def test_attendees_and_coaches_discuss_an_agenda_case(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    login(people["other_agent"])
    client.post(f"/cases/{case.id}/comments", data={"body": "I would have offered a callback."})
    login(people["coach_a"])
    client.post(f"/cases/{case.id}/comments", data={"body": "Good boundary there."})
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "I would have offered a callback." in page and "Good boundary there." in page


def test_bad_comments_write_nothing(client, login, people, scheduled_case, make_case, make_meetup):
    case, meetup = scheduled_case
    queued = make_case(people["agent"])
    login(people["other_agent"])
    client.post(f"/cases/{case.id}/comments", data={"body": "   "})
    client.post(f"/cases/{case.id}/comments", data={"body": "x" * 4001})
    client.post(f"/cases/{queued.id}/comments", data={"body": "Not on an agenda yet"})
    login(people["agent_b"])  # cannot see the case at all
    assert client.post(f"/cases/{case.id}/comments", data={"body": "Hello"}).status_code == 404
    login(people["coach_b"])  # sees the case, but does not run or attend its meetup
    client.post(f"/cases/{case.id}/comments", data={"body": "Hello"})
    assert Comment.select().count() == 0


def begin(meetup):
    """The meetup has started: its takeaways may be recorded."""
    Session.update(starts_at=utcnow() - timedelta(minutes=5)).where(Session.id == meetup.id).execute()


def test_takeaways_wait_until_the_meetup_has_begun(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    login(people["coach_a"])
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "Record takeaways" not in page and "You record the takeaways once the meetup has begun" in page
    response = client.post(f"/cases/{case.id}/takeaways", data={
        "what_worked": "a", "do_differently": "b", "principle": "c"})
    assert response.status_code == 302 and Takeaway.select().count() == 0
    login(people["other_agent"])
    assert "You record the takeaways" not in client.get(f"/cases/{case.id}").data.decode()
    begin(meetup)
    login(people["coach_a"])
    assert "Record takeaways" in client.get(f"/cases/{case.id}").data.decode()
    assert client.get(f"/cases/{case.id}/takeaways").status_code == 200


def test_takeaways_put_the_case_in_the_library(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    begin(meetup)
    login(people["coach_a"])
    response = client.post(f"/cases/{case.id}/takeaways", data={
        "what_worked": "Naming the delay honestly", "do_differently": "Offer tracking updates",
        "principle": "Follow up to confirm the fix"})
    assert response.status_code == 302
    stored = Case.get_by_id(case.id)
    assert stored.status == "discussed" and AgendaItem.get().outcome == "discussed"
    login(people["agent_b"])
    library = client.get("/library").data.decode()
    assert case.title in library and "Naming the delay honestly" in library


def test_takeaways_need_every_field_and_a_runner_of_the_meetup(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    begin(meetup)
    login(people["coach_a"])
    response = client.post(f"/cases/{case.id}/takeaways", data={"what_worked": "", "do_differently": "x",
                                                                 "principle": ""})
    assert "Say what worked." in response.data.decode()
    login(people["coach_b"])
    assert client.get(f"/cases/{case.id}/takeaways").status_code == 404
    login(people["other_agent"])
    assert client.post(f"/cases/{case.id}/takeaways", data={"what_worked": "a", "do_differently": "b",
                                                             "principle": "c"}).status_code == 403
    assert Takeaway.select().count() == 0 and Case.get_by_id(case.id).status == "scheduled"


def test_a_private_discussion_stays_out_of_the_library(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    meetups.add_comment(people["other_agent"], case, "Something said in the room")
    login(people["coach_a"])
    client.post(f"/sessions/{meetup.id}/privacy", data={"private": "1"})
    meetups.record_takeaways(people["coach_a"], case, "Calm tone", "Promise less", "Own the issue", [])
    login(people["agent_b"])
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "Something said in the room" not in page and "kept this discussion private" in page
    assert "Calm tone" in page
    login(people["other_agent"])
    assert "Something said in the room" in client.get(f"/cases/{case.id}").data.decode()
