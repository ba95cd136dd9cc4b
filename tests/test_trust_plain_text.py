"""Control characters and far dates: refused by forms with a message, folded at the model
boundary whoever writes, cleaned out of old rows by the migration, and never able to
crash a calendar, a mail or a page (learning/plain_text.py, learning/forms_common.py)."""
import importlib
import inspect
from datetime import date, timedelta

import pytest
from wtforms import DateField, StringField, TextAreaField

from learning.accounts.models import Team, User
from learning.accounts.service import save_team
from learning.db import BaseModel, db, utcnow
from learning.forms_common import ONE_LINE_MESSAGE, DateWithin, ProseAreaField, SingleLine
from learning.plain_text import LineField, ProseField
from learning.schedule.models import Series
from tests.test_schedule_pages import series_form

pytestmark = pytest.mark.usefixtures("in_app_context")

PACKAGES = ("accounts", "audit", "calendars", "cases", "coaching", "competencies", "curriculum", "notify",
            "progress", "schedule")
# Text columns that hold machine text, not what people or imports write: JSON, iCalendar, RRULE.
MACHINE_TEXT = {("outbox_message", "calendar"), ("outbox_message", "last_error"),
                ("delivery", "payload"),   # the JSON body as posted and signed (json.dumps escapes controls)
                ("progress_summary", "programme"), ("series", "rrule"), ("check_in_series", "rrule"), ("schema_version", "name"),
                ("pending_measure_import", "content"), ("pending_people_import", "content")}  # uploaded CSVs, kept byte for byte until confirmed


def all_models():
    for name in PACKAGES:
        importlib.import_module(f"learning.{name}.models")
    found, pending = [], list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


def all_form_fields():
    """(form class, field name, unbound field) for every form of every capability."""
    for name in PACKAGES:
        try:
            module = importlib.import_module(f"learning.{name}.forms")
        except ModuleNotFoundError:
            continue
        for _, form in inspect.getmembers(module, inspect.isclass):
            for field_name, unbound in getattr(form, "_unbound_fields", None) or []:
                yield form, field_name, unbound


def test_every_text_column_of_every_model_is_single_line_or_prose():
    wrong = []
    for model in all_models():
        for field in model._meta.sorted_fields:
            table = model._meta.table_name
            if type(field).__name__ in ("CharField", "TextField") and (table, field.column_name) not in MACHINE_TEXT:
                wrong.append(f"{table}.{field.column_name}")
    assert not wrong, f"use LineField or ProseField (learning.plain_text): {wrong}"


def test_every_text_and_date_field_of_every_form_carries_the_shared_rules(app):
    wrong = []
    for form, name, unbound in all_form_fields():
        kind = unbound.field_class
        if issubclass(kind, TextAreaField) and not issubclass(kind, ProseAreaField):
            wrong.append(f"{form.__name__}.{name}: use ProseAreaField")
        elif issubclass(kind, StringField) and not issubclass(kind, (TextAreaField, SingleLine)) \
                and kind.__name__ not in ("PasswordField", "HiddenField"):
            wrong.append(f"{form.__name__}.{name}: use SingleLineField")
        validators = unbound.kwargs.get("validators") or []
        if issubclass(kind, DateField) and not any(isinstance(v, DateWithin) for v in validators):
            wrong.append(f"{form.__name__}.{name}: add RECORD_DATE or SCHEDULE_DATE")
    assert not wrong, "\n".join(wrong)


# --- the model boundary -------------------------------------------------------------

def test_single_line_columns_fold_control_characters_whoever_writes(people):
    team = save_team(None, "Ops\r\nTeam\x07B", [])                      # a service call (the CLI's path too)
    assert Team.get_by_id(team.id).name == "Ops Team B"
    Team.update(name="Night\tshift\u2028crew").where(Team.id == team.id).execute()   # a bulk update
    assert Team.get_by_id(team.id).name == "Night shift crew"
    Team.insert_many([{"name": "Imported\x1b[31m\x85red"}]).execute()             # an import's bulk insert
    assert Team.get(Team.name.startswith("Imported")).name == "Imported [31m red"
    assert Team.get_or_none(Team.name == "Night\nshift\ncrew").id == team.id    # a lookup folds the same way


def test_prose_columns_keep_line_breaks_and_tabs_and_lose_other_control_characters(new_series):
    series = new_series(description="First line\r\nSecond\tline\x07\x1b\x01 end\x85")
    assert Series.get_by_id(series.id).description == "First line\r\nSecond\tline end"


def test_a_mail_subject_cannot_carry_a_header(people):
    from learning.notify.mail import build_message
    from learning.notify.service import queue_mail

    message = queue_mail(people["agent"], "coaching", "Hello\r\nBcc: everyone@example.org", "Body\nline two")
    stored = message.__class__.get_by_id(message.id)
    assert stored.subject == "Hello Bcc: everyone@example.org" and stored.body == "Body\nline two"
    mail = build_message(stored)
    assert mail["Bcc"] is None and "\n" not in mail["Subject"]


# --- old rows: the migration, and the calendar writer's own defence --------------------

def raw_update(table, column, value, row_id):
    """Write past the model fields, as rows written before they existed were."""
    db.execute_sql(f'UPDATE "{table}" SET "{column}" = {db.param} WHERE "id" = {db.param}', (value, row_id))


def test_old_rows_with_a_line_break_still_give_every_calendar_and_rsvp(client, login, people, one_session,
                                                                        feed_url):
    """Rows written before the fold (until the migration runs) must not crash feeds, downloads or RSVPs."""
    series = one_session.series
    raw_update("series", "title", "Morning\nhuddle\x07", series.id)
    raw_update("series", "location", "Room\r\n2", series.id)
    raw_update("team", "name", "Team\nA", people["team_a"].id)
    Series.update(team=people["team_a"], kind="case_review").where(Series.id == series.id).execute()
    raw_update("series", "title", "Morning\nhuddle\x07", series.id)
    login(people["agent"])
    download = client.get(f"/sessions/{one_session.id}.ics")
    assert download.status_code == 200
    body = download.get_data(as_text=True)
    assert "SUMMARY:Morning huddle" in body and "LOCATION:Room 2" in body and "\x07" not in body
    assert client.post(f"/sessions/{one_session.id}/rsvp").status_code == 302
    team_feed = client.get(feed_url(people["agent"], "team", str(people["team_a"].id)))
    assert team_feed.status_code == 200 and "X-WR-CALNAME:" in team_feed.get_data(as_text=True)
    assert client.get(feed_url(people["agent"])).status_code == 200
    for seat in ("coach_a", "coach_b", "admin"):
        login(people[seat])
        assert client.get(f"/sessions/{one_session.id}.ics").status_code == 200


def test_the_migration_folds_existing_values_and_numbers_a_folded_duplicate(people, new_series):
    migration = importlib.import_module("learning.migrations.0019_fold_control_characters")
    series = new_series(description="kept")
    save_team(None, "Night shift", [])
    raw_update("team", "name", "Night\nshift", people["team_b"].id)
    raw_update("team", "name", "Day\r\n\tshift\x7f", people["team_a"].id)
    raw_update("series", "description", "Line\r\none\x07\ttwo", series.id)
    raw_update("user", "display_name", "Agent\u2028A1", people["agent"].id)
    migration.upgrade(db, None)
    assert Team.get_by_id(people["team_a"].id).name == "Day shift "
    assert Team.get_by_id(people["team_b"].id).name == "Night shift (2)"
    assert Series.get_by_id(series.id).description == "Line\r\none\ttwo"
    assert User.get_by_id(people["agent"].id).display_name == "Agent A1"
    assert User.get_by_id(people["agent_b"].id).display_name == "Agent B1"       # clean rows untouched


def test_the_calendar_writer_folds_control_characters_in_every_text_property():
    from icalendar import Event

    from learning.calendars.ical import calendar_bytes

    event = Event()
    event.add("uid", "x@test")
    event.add("dtstart", utcnow())
    event.add("dtend", utcnow() + timedelta(hours=1))
    body = calendar_bytes([event], "Team\nA\x07", description="Line\r\nbreak\x1b").decode()
    assert "X-WR-CALNAME:Team A\r\n" in body and "X-WR-CALDESC:Line break\r\n" in body
    assert not any(ch in body.replace("\r\n", "") for ch in "\x07\x1b\n\r")


# --- forms: refused with a message, nothing written, from each seat that has the form ----------

SINGLE_LINE_FORMS = [
    ("owner", "/profile", {"profile-display_name": "New\nname", "profile-timezone": "Europe/Berlin"},
     lambda people: User.get_by_id(people["agent"].id).display_name == "Agent A1"),
    ("owner", "/cases/new", {"title": "Angry\r\ncaller", "channel": "phone", "customer_need": "x", "actions": "y",
                             "outcome": "z", "ask": "w", "action": "submit"}, None),
    ("coach_same", "/series/new", series_form(title="Own\nthe issue"), None),
    ("coach_other", "/series/new", series_form(location="Room\t2"), None),
    ("admin", "/admin/teams/new", {"name": "Team\r\nC"}, None),
    ("admin", "/admin/teams/new", {"name": "Team\u2028C"}, None),
    ("admin", "/competencies/new", {"name": "Calm\x1b", "area": "Boundaries", "position": "0",
                                    **{f"level_{n}": "x" for n in range(1, 6)}}, None),
]


@pytest.mark.parametrize("seat,url,data,unchanged", SINGLE_LINE_FORMS,
                         ids=[f"{s}-{u}-{i}" for i, (s, u, *_) in enumerate(SINGLE_LINE_FORMS)])
def test_a_single_line_field_with_a_control_character_is_refused_with_a_message(
        client, login, people, seat, url, data, unchanged):
    seats = {"owner": "agent", "coach_same": "coach_a", "coach_other": "coach_b", "admin": "admin"}
    login(people[seats[seat]])
    counts = {table: db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in db.get_tables()}
    response = client.post(url, data=data)
    assert response.status_code in (200, 400)
    assert "Keep this to one line" in response.get_data(as_text=True)
    assert counts == {t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in db.get_tables()}
    if unchanged:
        assert unchanged(people)


def test_anonymous_and_a_peer_never_reach_the_forms(client, login, people):
    assert client.post("/admin/teams/new", data={"name": "A\nB"}).status_code == 302          # to sign in
    login(people["other_agent"])
    assert client.post("/admin/teams/new", data={"name": "A\nB"}).status_code == 403
    assert Team.select().count() == 2


# --- dates --------------------------------------------------------------------------------

def test_a_rating_dated_0001_01_01_is_refused_with_the_window_named(client, login, people, competencies):
    from learning.coaching.models import Rating

    url = f"/coaching/people/{people['agent'].id}/ratings"
    for seat in ("agent", "coach_a"):
        login(people[seat])
        for day in ("0001-01-01", "1989-12-31"):
            response = client.post(url, data={"competency": competencies[0].id, "level": 3, "rated_on": day})
            assert response.status_code == 400
            assert "Choose a date from 1 January 1990 to" in response.get_data(as_text=True)
    assert Rating.select().count() == 0
    response = client.post(url, data={"competency": competencies[0].id, "level": 3, "rated_on": "1990-01-01"})
    assert response.status_code == 302 and Rating.select().count() == 1


def test_schedules_take_dates_from_2000_to_five_years_ahead(client, login, people):
    login(people["coach_a"])
    too_far = date.today().replace(year=date.today().year + 6).isoformat()
    for field, value in (("start_date", "0001-01-01"), ("start_date", too_far), ("until", "9999-12-31")):
        response = client.post("/series/new", data=series_form(**{field: value, "ends": "until"}))
        assert response.status_code == 200 and "Choose a date from 1 January 2000 to" in response.get_data(
            as_text=True), (field, value)
    assert Series.select().count() == 0


def test_a_plan_cohort_and_check_in_refuse_far_dates(client, login, people, plan):
    from learning.coaching.models import CheckIn, Plan

    login(people["coach_a"])
    plans = Plan.select().count()
    response = client.post("/coaching/plans/new", data={
        "employee": people["agent"].id, "title": "Far", "start_date": "0001-01-01", "review_date": "9999-01-01"})
    assert "Choose a date from 1 January 1990 to" in response.get_data(as_text=True)
    assert Plan.select().count() == plans
    response = client.post(f"/plans/{plan.id}/checkins", data={"date": "9999-12-31", "time": "10:00",
                                                               "duration": "30"})
    assert response.status_code < 500 and CheckIn.select().count() == 0
