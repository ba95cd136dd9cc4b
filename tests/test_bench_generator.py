"""The benchmark's generator writes a consistent organisation (a tiny one here),
on SQLite and PostgreSQL, that the app then serves as it would its own data."""
import pytest
from peewee import fn

from learning import create_app
from learning import db as database
from learning.accounts.models import Team, TeamCoach, User
from learning.calendars import service as calendar_service
from learning.calendars.models import FeedToken
from learning.cases.models import Case, Takeaway
from learning.coaching.models import CheckIn, Plan, Rating
from learning.curriculum.models import Enrolment
from learning.progress.models import ServiceMeasure
from learning.schedule.models import Rsvp, Session
from learning.wellbeing.models import PulseAnswer

from bench import scenario, tokens
from bench.generate import FEED_EVENTS, PASSWORD, generate


@pytest.fixture
def generated(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": tokens.SECRET_KEY,
                      "WTF_CSRF_ENABLED": False})
    database.db.connect(reuse_if_open=True)
    org = generate(0.002, quiet=True)
    yield app, org
    if not database.db.is_closed():
        database.db.close()


def test_every_kind_of_row_is_written_and_counted(generated):
    _, org = generated
    assert User.select().count() == org.counts["user"] >= 10
    for model in (Team, TeamCoach, Session, Rsvp, Case, Takeaway, Enrolment, Plan, CheckIn, Rating, ServiceMeasure,
                  PulseAnswer):
        assert model.select().count() == org.counts[model._meta.table_name] > 0, model.__name__


def test_no_session_holds_more_going_places_than_seats(generated):
    assert scenario.overbooked_sessions() == []


def test_places_and_cases_point_at_people_and_sessions_that_exist(generated):
    assert Rsvp.select().join(User).switch(Rsvp).join(Session).count() == Rsvp.select().count()
    discussed = Case.select().where(Case.status == "discussed")
    assert discussed.count() == Takeaway.select().count()
    assert all(case.meetup_id and case.discussed_at for case in discussed)


def test_every_discussed_case_is_in_the_library_search(generated):
    """On PostgreSQL the load skips the triggers that keep the search; the generator fills it."""
    from learning.cases.search import ranked_cases
    discussed = {case.id for case in Case.select(Case.id).where(Case.status == "discussed")}
    found = {row[0] for row in ranked_cases("hard call").tuples()}
    assert discussed and found == discussed


def test_every_generated_person_signs_in_with_the_shared_password(generated):
    app, _ = generated
    client = app.test_client()
    response = client.post("/login", data={"email": "agent1@bench.example", "password": PASSWORD})
    assert response.status_code == 302


def test_feed_people_hold_places_at_the_feed_sessions_and_their_token_finds_the_feed(generated):
    app, org = generated
    person = org.feed_people[0]
    assert Rsvp.select().where(Rsvp.user == person).count() >= min(FEED_EVENTS, 1)
    feed = FeedToken.get(FeedToken.user == person, FeedToken.scope == "personal")
    with app.test_request_context("/"):
        assert calendar_service.find_feed(tokens.token_for(feed.nonce)).id == feed.id


def test_new_rows_after_generation_take_fresh_ids(generated):
    """PostgreSQL sequences are moved past the ids the generator chose."""
    _, org = generated
    team = Team.create(name="Made after the benchmark data")
    assert team.id == Team.select(fn.MAX(Team.id)).scalar() > len(org.team_ids)


def test_the_feed_baseline_compares_every_event_of_the_feed(generated):
    from bench.inprocess import feed_baseline
    from learning.calendars import feeds

    app, org = generated
    feed = (FeedToken.select(FeedToken, User).join(User).where(FeedToken.scope == "personal")
            .order_by(FeedToken.id).first())
    with app.test_request_context("/calendar/feed/x.ics", base_url="http://127.0.0.1/"):
        shown = feeds.feed_bytes(feed, feeds.current_window(), feeds.sources_for(feed)).count(b"BEGIN:VEVENT")
    result = feed_baseline(app, rounds=2)
    assert shown > 0 and result["events"] == shown and result["same_events"]


def test_the_bulk_enrolment_step_times_the_enrolment_and_leaves_nothing_behind(generated):
    from bench.steps import enrol_people_in_a_year_of_sessions
    from learning.schedule.models import Series

    app, org = generated
    before = (Series.select().count(), Rsvp.select().count())
    database.db.close()
    step = enrol_people_in_a_year_of_sessions(app, people=5, weeks=4, capacity=3)
    database.db.connect(reuse_if_open=True)
    assert step["rows"] == 5 * 4 and step["seconds"] > 0 and step["queries"] > 0
    assert (Series.select().count(), Rsvp.select().count()) == before


def test_the_api_pages_tokens_authenticate_their_people_on_every_run(generated):
    app, _ = generated
    agents = scenario.people()[0][:3]
    headers = scenario.api_tokens(agents)
    assert scenario.api_tokens(agents) == headers   # the second run writes nothing new
    from learning.accounts.models import ApiToken
    assert ApiToken.select().count() == len(agents)
    page = next(page for page in scenario.pages() if page.name == "API session list")
    user_id, method, path, _, sent = page.requests[0]
    assert user_id is None and sent["Authorization"].startswith("Bearer sds_")
    assert app.test_client().get(path, headers=sent).status_code == 200
