"""Writing a case: drafts as typed for the author only, redaction preview before
submission, only redacted text stored, edits, withdrawal, bad input, debrief prompts."""
from datetime import timedelta

from learning.cases import service
from learning.cases.models import Case, CaseCompetency, DebriefPrompt
from learning.cases.signals import case_submitted, debrief_prompted
from learning.competencies.models import Competency

CUSTOMER_TEXT = ("Mrs Hannelore Brandt wrote from hannelore.brandt@example.net and called from "
                 "+49 30 1234 5678; she read out her card 4111 1111 1111 1111 and order ORD-2026-118834 "
                 "at 10:30 on 25.11.2026 for €129.99.")


def form(**changes):
    data = {"title": "Refund demanded against policy", "channel": "email", "customer_need": CUSTOMER_TEXT,
            "actions": "I explained the policy and offered a voucher.", "outcome": "She accepted the voucher.",
            "ask": "Was the voucher the right call?", "heaviness": "", "meetup": "", "names": "", "keep": ""}
    data.update(changes)
    return data


def submit(client, url="/cases/new", **changes):
    """Preview, then submit exactly what was previewed (as the page's button does)."""
    first = client.post(url, data=form(action="submit", **changes))
    assert first.status_code == 200 and b"What will be shared" in first.data
    reviewed = first.data.decode().split('name="reviewed" type="hidden" value="')[1].split('"')[0]
    return client.post(url, data=form(action="submit", reviewed=reviewed, **changes))


def test_a_draft_keeps_the_text_as_typed_and_only_its_author_sees_it(client, login, people):
    login(people["agent"])
    response = client.post("/cases/new", data=form(action="draft"))
    assert response.status_code == 302
    case = Case.get()
    assert case.status == "draft" and "hannelore.brandt@example.net" in case.customer_need
    assert client.get(f"/cases/{case.id}").status_code == 200
    for someone in ("coach_a", "other_agent", "admin"):
        login(people[someone])
        assert client.get(f"/cases/{case.id}").status_code == 404


def test_submitting_shows_the_redaction_preview_first_and_stores_nothing_yet(client, login, people):
    login(people["agent"])
    response = client.post("/cases/new", data=form(action="submit"))
    page = response.data.decode()
    assert "What will be shared" in page and "[email removed]" in page and "[card removed]" in page
    assert "hannelore.brandt@example.net" in page  # the author sees what was found
    assert Case.select().count() == 0


def test_a_submitted_case_stores_only_redacted_text(client, login, people):
    login(people["agent"])
    response = submit(client, names="Hannelore Brandt", keep="ORD-2026-118834")
    assert response.status_code == 302
    case = Case.get()
    assert case.status == "submitted" and case.team_id == people["team_a"].id
    stored = case.customer_need
    for secret in ("hannelore", "Brandt", "example.net", "1234 5678", "4111"):
        assert secret not in stored
    for kept in ("ORD-2026-118834", "10:30", "25.11.2026", "€129.99"):
        assert kept in stored
    assert service.still_holds_customer_data(case) == []


def test_changing_the_text_after_the_preview_shows_a_new_preview(client, login, people):
    login(people["agent"])
    first = client.post("/cases/new", data=form(action="submit"))
    reviewed = first.data.decode().split('name="reviewed" type="hidden" value="')[1].split('"')[0]
    again = client.post("/cases/new", data=form(action="submit", reviewed=reviewed,
                                                 actions="Call me on 0151 2345 6789"))
    assert again.status_code == 200 and b"What will be shared" in again.data
    assert Case.select().count() == 0


def test_submitting_a_draft_replaces_the_typed_text_with_the_redacted_text(client, login, people):
    login(people["agent"])
    client.post("/cases/new", data=form(action="draft"))
    case = Case.get()
    assert submit(client, url=f"/cases/{case.id}/edit").status_code == 302
    stored = Case.get_by_id(case.id)
    assert stored.status == "submitted" and "example.net" not in stored.customer_need


def test_editing_a_submitted_case_stores_redacted_text_only(client, login, people, make_case):
    case = make_case(people["agent"])
    login(people["agent"])
    response = submit(client, url=f"/cases/{case.id}/edit", outcome="She wrote back from jo@example.org.")
    assert response.status_code == 302
    assert Case.get_by_id(case.id).outcome == "She wrote back from [email removed]."


def test_competencies_and_markdown_are_kept_and_rendered_safely(client, login, people):
    competency = Competency.create(name="Listen fully", area="Service principles")
    login(people["agent"])
    submit(client, competencies=[str(competency.id)], actions="I **listened** <script>alert(1)</script>")
    case = Case.get()
    assert [link.competency_id for link in CaseCompetency.select()] == [competency.id]
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "<strong>listened</strong>" in page and "<script>alert(1)</script>" not in page


def test_empty_required_fields_are_refused_and_nothing_is_written(client, login, people):
    login(people["agent"])
    response = client.post("/cases/new", data=form(action="submit", title="", customer_need="  ", ask=""))
    page = response.data.decode()
    assert "Give the case a short title." in page and "Say what the customer needed" in page
    assert "Say what you want the group" in page
    assert client.post("/cases/new", data=form(action="draft", title="")).status_code == 200
    assert Case.select().count() == 0


def test_over_long_text_and_unknown_choices_are_refused(client, login, people):
    login(people["agent"])
    for changes in ({"title": "x" * 201}, {"actions": "x" * 5001}, {"channel": "fax"}, {"heaviness": "9"},
                    {"competencies": ["999"]}, {"competencies": ["abc"]}, {"meetup": "abc"}):
        response = client.post("/cases/new", data=form(action="draft", **changes))
        assert response.status_code == 200, changes
    assert Case.select().count() == 0


def test_a_case_cannot_be_brought_to_a_cancelled_past_or_other_teams_meetup(client, login, people, make_meetup):
    cancelled = make_meetup(team=people["team_a"], status="cancelled")
    past = make_meetup(team=people["team_a"], starts_in=timedelta(days=-2))
    other_team = make_meetup(team=people["team_b"])
    login(people["agent"])
    for meetup, message in ((cancelled, "was cancelled"), (past, "already taken place"),
                            (other_team, "another team")):
        response = client.post("/cases/new", data=form(action="submit", meetup=str(meetup.id)))
        if b"What will be shared" in response.data:
            reviewed = response.data.decode().split('name="reviewed" type="hidden" value="')[1].split('"')[0]
            response = client.post("/cases/new", data=form(action="submit", meetup=str(meetup.id),
                                                            reviewed=reviewed))
        assert message in response.data.decode()
    assert Case.select().count() == 0


def test_a_case_can_ask_for_an_upcoming_meetup_of_the_authors_team(client, login, people, make_meetup):
    meetup = make_meetup(team=people["team_a"])
    login(people["agent"])
    assert submit(client, meetup=str(meetup.id)).status_code == 302
    assert Case.get().meetup_id == meetup.id


def test_the_author_can_withdraw_until_the_case_is_discussed(client, login, people, make_case, scheduled_case):
    case = make_case(people["agent"])
    login(people["agent"])
    client.post(f"/cases/{case.id}/withdraw")
    assert Case.get_by_id(case.id).status == "withdrawn"
    scheduled, meetup = scheduled_case
    client.post(f"/cases/{scheduled.id}/withdraw")
    assert Case.get_by_id(scheduled.id).status == "withdrawn"
    assert not scheduled.agenda_items.exists()


def test_a_discussed_case_can_no_longer_be_edited_or_withdrawn(client, login, people, scheduled_case):
    from learning.cases import meetups

    case, meetup = scheduled_case
    meetups.record_takeaways(people["coach_a"], case, "Calm tone", "Promise less", "Own the issue", [])
    login(people["agent"])
    assert client.get(f"/cases/{case.id}/edit").status_code == 404
    client.post(f"/cases/{case.id}/withdraw")
    assert Case.get_by_id(case.id).status == "discussed"


def test_nobody_but_the_author_can_edit_or_withdraw(client, login, people, make_case):
    case = make_case(people["agent"])
    login(people["coach_a"])
    assert client.get(f"/cases/{case.id}/edit").status_code == 404
    client.post(f"/cases/{case.id}/withdraw")
    assert Case.get_by_id(case.id).status == "submitted"


def test_a_heavy_case_prompts_the_authors_coaches_to_offer_a_debrief(client, login, people, make_case):
    received = []
    receiver = lambda case, coach_ids: received.append((case.id, coach_ids))  # noqa: E731
    debrief_prompted.connect(receiver)
    try:
        case = make_case(people["agent"], heaviness=5)
        make_case(people["agent"], heaviness=3)
    finally:
        debrief_prompted.disconnect(receiver)
    assert received == [(case.id, [people["coach_a"].id])]
    login(people["coach_a"])
    dashboard = client.get("/").data.decode()
    assert "Debriefs to offer" in dashboard and case.title in dashboard
    login(people["coach_b"])
    assert "Debriefs to offer" not in client.get("/").data.decode()


def test_a_coach_marks_a_debrief_offered_then_answered_and_it_leaves_the_dashboard(client, login, people,
                                                                                  make_case):
    make_case(people["agent"], heaviness=4)
    prompt = DebriefPrompt.get()
    login(people["coach_b"])
    assert client.post(f"/cases/debriefs/{prompt.id}", data={"status": "answered"}).status_code == 404
    login(people["coach_a"])
    client.post(f"/cases/debriefs/{prompt.id}", data={"status": "offered"})
    assert DebriefPrompt.get().status == "offered"
    assert "Debriefs to offer" in client.get("/").data.decode()
    client.post(f"/cases/debriefs/{prompt.id}", data={"status": "answered"})
    assert DebriefPrompt.get().status == "answered"
    assert "Debriefs to offer" not in client.get("/").data.decode()


def test_submitting_sends_the_case_submitted_signal_once(people, make_case):
    received = []
    receiver = lambda case: received.append(case.id)  # noqa: E731
    case_submitted.connect(receiver)
    try:
        draft = make_case(people["agent"], status="draft")
        case = make_case(people["agent"])
    finally:
        case_submitted.disconnect(receiver)
    assert received == [case.id] and draft.id not in received


def test_posting_without_a_csrf_token_is_refused(app, client, login, people):
    login(people["agent"])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/cases/new", data=form(action="draft"))
    assert response.status_code == 400
    assert Case.select().count() == 0


def test_submitting_in_one_step_stores_what_the_forms_preview_and_submission_store(client, login, people):
    login(people["agent"])
    submit(client, customer_need=CUSTOMER_TEXT + " Regards, Hannelore", names="Brandt")
    by_form = Case.get()
    data = {key: form()[key] for key in ("title", "customer_need", "actions", "outcome", "ask")}
    data.update(customer_need=CUSTOMER_TEXT + " Regards, Hannelore", channel="email", heaviness=None,
                anonymous=False, meetup_id=None, competency_ids=[])
    in_one_step, findings = service.submit_new_case(people["agent"], data, names=["Brandt"])
    assert in_one_step.status == "submitted" and in_one_step.id != by_form.id
    for key in ("title", "customer_need", "actions", "outcome", "ask"):
        assert getattr(in_one_step, key) == getattr(by_form, key)
    assert "[name removed]" in in_one_step.customer_need and "Hannelore" not in in_one_step.customer_need
    assert {f.kind for f in findings} >= {"email", "phone", "card", "name"}
