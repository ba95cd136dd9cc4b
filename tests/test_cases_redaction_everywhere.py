"""Nothing a customer told an agent is stored or shown raw once a case leaves its
author's draft: the case (title and edits), comments, takeaways, the notices and
mails that quote it, the library and its search index, the personal-data export,
progress CSV and calendars; from every seat (author, peer, coaches of the same and
of another team, admin, anonymous). Old rows are redacted by migration 0020."""
import importlib
import re
from datetime import timedelta

import pytest

from learning.cases import meetups
from learning.cases.search import ranked_cases
from learning.cases.models import Case, Comment, Takeaway
from learning.db import available_migrations, db, utcnow
from learning.notify.models import Notification, OutboxMessage, Preference
from learning.schedule.models import Session
from tests.test_cases_submission import form, submit

RAW_CASE = {
    "title": "Refund for Maria Lopez, 12 rue de la Paix",
    "customer_need": ("Hi Maria, thanks for calling. DOB 14/03/1985, she lives at 12 rue de la Paix, 75002 Paris, "
                      "mail maria dot lopez at example dot com, mobile +33 6 12 34 56 78, card 4111 1111 1111 1111. "
                      "Her reset link was https://shop.example.com/reset?token=zq81ks02mdn4pq7r at 10:30."),
}
RAW_COMMENT = "She later gave IBAN FR14 2004 1010 0505 0001 3M02 606 and +44 20 7946 0958. Regards, Maria Lopez"
RAW_TAKEAWAY = {"what_worked": "Calling Ms Maria Lopez back on 020 7946 0958 within 10 minutes",
                "do_differently": "Ask Dear Mrs Lopez to stop sending card 5500-0000-0000-0004 in chat",
                "principle": "Follow up to confirm the fix (born on 3 March 1979 is not needed)"}
SECRETS = ["Maria", "Lopez", "14/03/1985", "rue de la Paix", "75002", "maria dot lopez", "6 12 34 56 78", "4111",
           "zq81ks02mdn4pq7r", "FR14", "7946 0958", "5500-0000", "3 March 1979"]
KEPT = ["10:30", "10 minutes", "Follow up to confirm the fix"]


def raw_left(text):
    return [secret for secret in SECRETS if secret.lower() in (text or "").lower()]


@pytest.fixture
def discussed_raw_case(client, login, people, make_meetup):
    """The agent submits RAW_CASE (heavy: the coaches are prompted) to a team-A meetup, a peer and the
    coach comment, the coach records takeaways: every text typed raw, through the pages."""
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"], people["agent"]])
    for person in (people["agent"], people["coach_a"], people["admin"]):
        Preference.create(user=person, kind="case", channel="email")
    login(people["agent"])
    assert submit(client, heaviness="5", **RAW_CASE).status_code == 302
    case = Case.get()
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 15)
    for person in (people["other_agent"], people["coach_a"]):
        login(person)
        assert client.post(f"/cases/{case.id}/comments", data={"body": RAW_COMMENT}).status_code == 302
    # The meetup has begun: its takeaways may be recorded.
    Session.update(starts_at=utcnow() - timedelta(minutes=5)).where(Session.id == meetup.id).execute()
    assert client.post(f"/cases/{case.id}/takeaways", data=RAW_TAKEAWAY).status_code == 302
    return Case.get_by_id(case.id), meetup


def stored_texts():
    rows = [[c.title, c.customer_need, c.actions, c.outcome, c.ask] for c in Case.select()]
    rows += [[c.body] for c in Comment.select()]
    rows += [[t.what_worked, t.do_differently, t.principle] for t in Takeaway.select()]
    rows += [[n.text] for n in Notification.select()]
    rows += [[m.subject, m.body] for m in OutboxMessage.select()]
    return [text for row in rows for text in row]


def test_the_database_holds_no_raw_customer_data_in_cases_comments_takeaways_notices_or_mails(discussed_raw_case):
    texts = stored_texts()
    assert Comment.select().count() == 2 and Takeaway.select().count() == 1
    assert Notification.select().count() >= 3 and OutboxMessage.select().count() >= 3
    assert [raw_left(text) for text in texts if raw_left(text)] == []
    joined = " ".join(texts)
    assert all(kept in joined for kept in KEPT)
    assert "[name removed]" in Comment.get().body and "[IBAN removed]" in Comment.get().body


def seat_pages(case, meetup):
    return [f"/cases/{case.id}", "/library", "/library?q=refund", "/cases", "/cases?show=queue",
            f"/sessions/{meetup.id}/agenda", "/notifications", "/", "/profile/export",
            f"/sessions/{meetup.id}.ics", "/progress", "/progress/programme?format=csv&table=cases"]


@pytest.mark.parametrize("seat", ["agent", "other_agent", "coach_a", "coach_b", "agent_b", "admin", None])
def test_no_seat_is_shown_raw_customer_data_on_any_page_export_or_calendar(client, login, people, seat,
                                                                          discussed_raw_case, feed_url):
    case, meetup = discussed_raw_case
    pages = seat_pages(case, meetup)
    if seat is None:
        client.post("/logout")
    else:
        login(people[seat])
        pages.append(feed_url(people[seat]))
    shown = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        if raw_left(response.get_data(as_text=True)):
            shown[url] = raw_left(response.get_data(as_text=True))
    assert shown == {}
    if seat in ("agent", "other_agent", "coach_b", "admin"):
        page = client.get(f"/cases/{case.id}").get_data(as_text=True)
        assert "[name removed]" in page and "[address removed]" in page


def test_the_library_search_index_holds_no_raw_words(client, login, people, discussed_raw_case):
    case, _ = discussed_raw_case
    login(people["agent_b"])
    def page(word):   # as read: a search marks the words it found
        return re.sub("</?mark>", "", client.get(f"/library?q={word}").get_data(as_text=True))
    for word in ("Maria", "Lopez", "FR14", "zq81ks02mdn4pq7r", "Paix"):
        assert case.title not in page(word), word
    assert case.title in page("refund")


def test_the_preview_lists_the_names_it_found_for_the_author_to_confirm(client, login, people):
    login(people["agent"])
    page = client.post("/cases/new", data=form(action="preview", **RAW_CASE)).get_data(as_text=True)
    names_box = page.split('name="names"')[1].split("</textarea>")[0]
    assert "Maria Lopez" in names_box
    assert Case.select().count() == 0


def test_a_name_the_author_adds_in_the_preview_is_removed_everywhere_in_the_case(client, login, people):
    login(people["agent"])
    submit(client, customer_need="Jürgen from accounts called; Jürgen was upset.", names="Jürgen")
    assert "Jürgen" not in " ".join(stored_texts())


def test_editing_a_submitted_case_title_stores_it_redacted(client, login, people, make_case):
    case = make_case(people["agent"])
    login(people["agent"])
    response = submit(client, f"/cases/{case.id}/edit", title="Call from Dear Mr Okafor, DOB 02/02/1990")
    assert response.status_code == 302
    assert Case.get_by_id(case.id).title == "Call from Dear Mr [name removed], DOB [date of birth removed]"


def test_a_comment_from_any_seat_is_stored_redacted_and_the_commenter_is_told(client, login, people,
                                                                             scheduled_case):
    case, _ = scheduled_case
    for seat in ("agent", "other_agent", "coach_a"):
        login(people[seat])
        response = client.post(f"/cases/{case.id}/comments", data={"body": f"{seat}: ring +49 171 2345678"},
                               follow_redirects=True)
        assert "customer data was removed" in response.get_data(as_text=True)
    assert [c.body for c in Comment.select().order_by(Comment.id)] == [
        f"{seat}: ring [phone removed]" for seat in ("agent", "other_agent", "coach_a")]


def test_a_redacted_title_longer_than_its_column_is_cut_to_fit(people, make_case):
    case = make_case(people["agent"], title="Dear Mr Okafor " + "x" * 180)
    assert len(Case.get_by_id(case.id).title) == 200 and "Okafor" not in Case.get_by_id(case.id).title


def test_migration_0020_redacts_rows_stored_before_redaction_covered_them(people, make_case, make_meetup):
    """Rows written raw (as before): the migration leaves only redacted text, drafts as typed."""
    meetup = make_meetup(team=people["team_a"])
    case = make_case(people["agent"])
    draft = make_case(people["agent"], status="draft")
    Case.update(**RAW_CASE).where(Case.id.in_([case.id, draft.id])).execute()
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 15)
    Comment.insert(case=case.id, session=meetup.id, author=people["other_agent"].id, body=RAW_COMMENT).execute()
    Takeaway.insert(case=case.id, session=meetup.id, recorded_by=people["coach_a"].id, **RAW_TAKEAWAY).execute()
    Case.update(status="discussed").where(Case.id == case.id).execute()
    Notification.insert(user=people["agent"].id, kind="case", text=f"Your case “{RAW_CASE['title']}”",
                        link=f"/cases/{case.id}").execute()
    assert "0020_redact_stored_case_text" in available_migrations()
    with db.atomic():
        importlib.import_module("learning.migrations.0020_redact_stored_case_text").upgrade(db, None)
    texts = [t for t in stored_texts() if t not in (RAW_CASE["title"], RAW_CASE["customer_need"])]
    assert [raw_left(text) for text in texts if raw_left(text)] == []
    assert Case.get_by_id(draft.id).customer_need == RAW_CASE["customer_need"]   # the author's own draft
    assert Case.get_by_id(case.id).title == "Refund for [name removed], [address removed]"
    # The search index followed the redaction (its triggers), on both engines.
    assert list(ranked_cases("Lopez").tuples()) == [] and len(list(ranked_cases("refund").tuples())) == 1
