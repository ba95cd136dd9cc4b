"""Library search through the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL):
prefix words, every word somewhere in the case or its takeaways, the index kept in step with
takeaways and cases, hostile input, paging without a total, and the queue's simplified rule."""
import pytest

from learning.accounts.models import User
from learning.cases import meetups, search
from learning.cases.library import case_list_query
from learning.cases.models import Case, Takeaway
from learning.cases.visibility import QUEUED, visible_case_rule, visible_with_status_rule
from learning.db import db, is_sqlite
from tests.test_cases_library import discussed


def _titles(client, query, candidates):
    response = client.get("/library" + query)
    assert response.status_code == 200
    page = response.data.decode()
    return [t for t in candidates if t in page]


def test_words_match_as_prefixes_anywhere_in_the_case_or_its_takeaways(client, login, people, make_case,
                                                                          make_meetup):
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "Listening to an angry caller", worked="Summarised her complaint")
    discussed(make_case, meetup, people, "Refund against policy", worked="Held the line kindly")
    login(people["agent_b"])
    both = ("Listening to an angry caller", "Refund against policy")
    assert _titles(client, "?q=listen", both) == list(both)        # "Listening", and "listened" in both
    assert _titles(client, "?q=angr", both) == ["Listening to an angry caller"]
    assert _titles(client, "?q=ANGRY+summar", both) == ["Listening to an angry caller"]   # title + takeaway
    assert _titles(client, "?q=promise+kindly", both) == ["Refund against policy"]   # ask + takeaway
    assert _titles(client, "?q=angry+kindly", both) == []          # every word must match
    assert _titles(client, "?q=ngry", both) == []                  # the start of a word, not its middle
    assert _titles(client, "?q=own+the+issue", both) == list(both)   # the principle


def test_only_discussed_cases_are_found_and_drafts_are_not_indexed(client, login, people, make_case, make_meetup):
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "Discussed about a voucher")
    make_case(people["agent"], title="Queued about a voucher")
    make_case(people["agent"], status="draft", title="Draft about a voucher")
    login(people["agent"])
    assert _titles(client, "?q=voucher", ("Discussed about", "Queued about", "Draft about")) == ["Discussed about"]
    if is_sqlite():
        rows = db.execute_sql("SELECT body FROM case_search").fetchall()
        assert len(rows) == 1 and "Discussed about a voucher" in rows[0][0]


def test_the_index_follows_corrected_takeaways_and_deleted_cases(client, login, people, make_case, make_meetup):
    meetup = make_meetup(team=people["team_a"])
    case = discussed(make_case, meetup, people, "Chargeback on a holiday booking", worked="Explained the timeline")
    login(people["agent_b"])
    assert _titles(client, "?q=timeline", ["Chargeback"]) == ["Chargeback"]
    meetups.record_takeaways(people["coach_a"], Case.get_by_id(case.id), "Offered a callback", "Promise less",
                             "Own the issue", [])
    assert _titles(client, "?q=timeline", ["Chargeback"]) == []
    assert _titles(client, "?q=callback", ["Chargeback"]) == ["Chargeback"]
    Takeaway.update(principle="Escalate early").where(Takeaway.case == case.id).execute()
    assert _titles(client, "?q=escalate", ["Chargeback"]) == ["Chargeback"]
    User.delete().where(User.id == people["agent"].id).execute()   # cascades to the case and its takeaway
    assert _titles(client, "?q=callback", ["Chargeback"]) == []
    if is_sqlite():
        assert db.execute_sql("SELECT COUNT(*) FROM case_search").fetchone()[0] == 0


HOSTILE = ['"', "'", '""', "\"unbalanced", "(", ")", "((a", "a)", "*", "a*", "-a", "NOT", "a AND", "OR b",
           "NEAR(a b)", "a:*", "a & | !b", "title:refund", "^a", "{a b}", "a + b", "'; DROP TABLE case; --",
           "\\", "%", "_", "100%", "ä ö ü ß", "日本語", "a" * 300, "\u0000", "e-mail", "!!", "<->", "a:b:c",
           "🙂", "x\ny", "\t", "a" + "\u0301" * 5, "½ ² ①"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_never_fails(client, login, people, make_case, make_meetup, text):
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "A refund by e-mail, 100% resolved")
    login(people["agent_b"])
    response = client.get("/library", query_string={"q": text})
    # NUL is refused for every request before any view (learning/serving.py); the rest are searched.
    assert response.status_code == (400 if "\x00" in text else 200)


def test_search_words_are_plain_words():
    assert search.search_words('"Listen" AND (tone* OR -e-mail) NEAR(x y)') == [
        "listen", "and", "tone", "or", "e", "mail", "near", "x"]
    assert search.search_words("a_b ' \" : * ^") == ["a", "b"]
    assert len(search.search_words(" ".join(f"w{i}" for i in range(20)))) == search.MAX_WORDS


def test_the_library_pages_without_a_total(app, client, login, people, make_case, make_meetup):
    app.config["PAGE_SIZE"] = 2
    meetup = make_meetup(team=people["team_a"])
    for n in range(3):
        discussed(make_case, meetup, people, f"Parcel case number {n}")
    login(people["agent_b"])
    first = client.get("/library?q=parcel").data.decode()
    assert first.count("Parcel case number") == 2
    pager = first.split('class="pager"')[1]
    assert "Next →" in pager and "page=2" in pager and "Page 1" in pager and " of " not in pager
    second = client.get("/library?q=parcel&page=2").data.decode()
    assert second.count("Parcel case number") == 1 and "Next →" not in second and "page=1" in second
    app.config["PAGE_SIZE"] = 3
    only = client.get("/library?q=parcel").data.decode()
    assert only.count("Parcel case number") == 3 and 'class="pager"' not in only


def test_the_simplified_rules_select_what_the_full_rule_selects(people, make_case, make_meetup):
    """visible_with_status_rule leaves out only what the statuses make redundant."""
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    programme = make_meetup(going=[people["agent_b"]])
    discussed(make_case, meetup, people, "Discussed one")
    make_case(people["agent"], title="Queued A")
    make_case(people["agent_b"], title="Queued B")
    scheduled = make_case(people["agent_b"], title="Scheduled B")
    meetups.add_to_agenda(people["admin"], programme, scheduled.id, 10)
    make_case(people["agent"], status="draft", title="Draft A")
    for user in people.values():
        if not isinstance(user, User):
            continue
        for statuses in (QUEUED, ("discussed",)):
            full = {c.id for c in Case.select(Case.id).where(visible_case_rule(user), Case.status.in_(statuses))}
            query = Case.select(Case.id).where(Case.status.in_(statuses))
            rule = visible_with_status_rule(user, statuses)
            simple = {c.id for c in (query if rule is None else query.where(rule))}
            assert simple == full, (user.display_name, statuses)
        queue = {c.id for c in case_list_query(user, "queue")}
        assert queue == {c.id for c in Case.select(Case.id).where(visible_case_rule(user), Case.status.in_(QUEUED))}


@pytest.mark.parametrize("url", ["/cases?show=queue", "/library?q=parcel"])
def test_pages_walk_an_index_in_page_order(app, people, login, client, make_case, make_meetup, url):
    """The queue walks case(submitted_at, id, status), the search case(status, discussed_at):
    neither sorts every match (the plan is checked on SQLite; on PostgreSQL, tiny tables are
    read whole whatever the indexes, so there the rows and their order are checked)."""
    meetup = make_meetup(team=people["team_a"])
    wanted = discussed(make_case, meetup, people, "Parcel case")
    queued = make_case(people["agent"])
    from learning.cases import library
    with app.test_request_context(url):
        query = (library.case_list_query(people["coach_a"], "queue") if "queue" in url
                 else library.library_query(people["coach_a"], "parcel"))
        found = [c.id for c in query.limit(26)]
        if not is_sqlite():
            expected = [c.id for c in Case.select(Case.id).where(Case.status.in_(QUEUED))] if "queue" in url \
                else [wanted.id]
            assert found == expected and (queued.id in found) == ("queue" in url)
            return
        sql, params = query.limit(26).sql()
        plan = " | ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "TEMP B-TREE" not in plan, plan
    assert ("case_submitted_at_id_status" if "queue" in url else "case_status_discussed_at") in plan, plan
    assert ("case_submitted_at_id_status" if "queue" in url else "case_status_discussed_at") in plan, plan
