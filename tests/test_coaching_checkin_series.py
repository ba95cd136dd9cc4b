"""Recurring check-ins: one series per person at a wall-clock time in the person's zone (kept
across daylight-saving changes), set up for whole teams in one form by their coach only; one
occurrence moves alone; open agenda items carry to the next check-in until done; both people's
feeds and reminders carry the occurrences; stopping cancels the coming ones."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from learning.accounts.models import User
from learning.coaching.checkin_series import carried_items, next_checkins, start_checkin_series, stop_checkin_series
from learning.coaching.checkins import add_agenda_item, move_checkin, schedule_checkin
from learning.coaching.models import CheckIn, CheckInAgendaItem, CheckInSeries
from learning.coaching.service import checkins_for_feed
from learning.db import utcnow
from learning.notify.models import Notification
from learning.notify.reminders import checkin_reminders_due
from learning.refusals import Refused
from learning.timezones import to_local

TEN = time(10, 0)


def next_weekday(weekday, days_ahead=7):
    day = date.today() + timedelta(days=days_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def next_dst_change(zone_name):
    """The first day from tomorrow on whose midday offset differs from the day before."""
    zone, day = ZoneInfo(zone_name), date.today() + timedelta(days=1)
    for _ in range(400):
        before = datetime.combine(day, time(12), zone).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time(12), zone).utcoffset()
        if before != after:
            return day + timedelta(days=1)
        day += timedelta(days=1)
    raise AssertionError("no daylight-saving change within 400 days")


def series_checkins(person):
    return list(CheckIn.select().where(CheckIn.employee == person).order_by(CheckIn.starts_at))


def test_wall_clock_time_is_kept_across_the_daylight_saving_change(people):
    change = next_dst_change("Europe/Berlin")
    first = change - timedelta(days=14)
    first = max(first, date.today() + timedelta(days=1))
    start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 1, change + timedelta(days=21))
    found = series_checkins(people["agent"])
    local = [to_local(c.starts_at, "Europe/Berlin") for c in found]
    assert {(t.hour, t.minute) for t in local} == {(10, 0)}
    assert {t.weekday() for t in local} == {first.weekday()}
    assert len({c.starts_at.hour for c in found}) == 2        # 08:00 or 09:00 UTC, either side of the change
    assert [b.date() - a.date() for a, b in zip(local, local[1:])] == [timedelta(days=7)] * (len(local) - 1)


def test_each_person_meets_at_the_time_in_their_own_zone(people, make_user):
    far = make_user("agent", team=people["team_a"], name="Agent NY", timezone="America/New_York")
    start_checkin_series(people["coach_a"], [], [far.id, people["agent"].id], next_weekday(1), TEN, 2,
                         next_weekday(1) + timedelta(days=60))
    for person, zone in ((far, "America/New_York"), (people["agent"], "Europe/Berlin")):
        checkins = series_checkins(person)
        assert checkins and all(to_local(c.starts_at, zone).time() == TEN and c.timezone == zone for c in checkins)
        assert [b.starts_at.date() - a.starts_at.date() for a, b in zip(checkins, checkins[1:])] == \
            [timedelta(days=14)] * (len(checkins) - 1)


def test_a_coach_sets_up_fortnightly_checkins_for_the_whole_team_in_one_form(client, login, people, make_user):
    moved_out = make_user("agent", team=people["team_a"], name="Moved Out")
    User.update(team=people["team_b"]).where(User.id == moved_out.id).execute()
    login(people["coach_a"])
    first = next_weekday(1)
    response = client.post("/coaching/checkin-series/new", data={
        "teams": [people["team_a"].id], "first_day": first.isoformat(), "time": "10:00", "interval_weeks": 2,
        "until": (first + timedelta(days=84)).isoformat(), "duration": 30})
    assert response.status_code == 302
    series = list(CheckInSeries.select().order_by(CheckInSeries.employee))
    assert sorted(s.employee_id for s in series) == sorted([people["agent"].id, people["other_agent"].id])
    assert {s.coach_id for s in series} == {people["coach_a"].id}
    assert len(series_checkins(people["agent"])) == 7
    notices = Notification.select().where(Notification.kind == "checkin")
    assert sorted(n.user_id for n in notices) == sorted([people["agent"].id, people["other_agent"].id])
    window = (utcnow(), utcnow() + timedelta(days=120))
    assert len(checkins_for_feed(people["agent"], *window)) == 7
    assert len(checkins_for_feed(people["coach_a"], *window)) == 14
    assert checkins_for_feed(moved_out, *window) == []
    page = client.get("/coaching/checkin-series").get_data(as_text=True)
    assert "Agent A1" in page and "Every second week" in page


@pytest.mark.parametrize("changes, field_message", [
    ({"first_day": "2001-01-02"}, "The first check-in cannot be in the past."),
    ({"until": "first-1"}, "The last date must be on or after the first check-in."),
    ({"until": "first+400"}, "A series runs for at most a year"),
    ({"interval_weeks": "9"}, "Not a valid choice"),
    ({"teams": [], "people": []}, "Choose at least one team or person."),
    ({"time": "25:00"}, "Not a valid time value"),
])
def test_bad_input_is_refused_per_field_and_nothing_written(client, login, people, changes, field_message):
    login(people["coach_a"])
    first = next_weekday(2)
    data = {"teams": [people["team_a"].id], "first_day": first.isoformat(), "time": "10:00", "interval_weeks": 2,
            "until": (first + timedelta(days=30)).isoformat(), "duration": 30}
    offsets = {"first-1": -1, "first+400": 400}
    data.update({k: (first + timedelta(days=offsets[v])).isoformat() if isinstance(v, str) and v in offsets else v
                 for k, v in changes.items()})
    response = client.post("/coaching/checkin-series/new", data=data)
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert CheckInSeries.select().count() == 0 and CheckIn.select().count() == 0


def test_only_the_teams_coach_sets_up_checkins_for_it(client, login, people):
    first = next_weekday(3)
    data = {"first_day": first.isoformat(), "time": "10:00", "interval_weeks": 2,
            "until": (first + timedelta(days=30)).isoformat(), "duration": 30}
    login(people["coach_b"])
    response = client.post("/coaching/checkin-series/new", data={**data, "teams": [people["team_a"].id]})
    assert response.status_code == 400 and "not a valid choice" in response.get_data(as_text=True)
    with pytest.raises(Refused, match="teams you coach"):
        start_checkin_series(people["coach_b"], [people["team_a"].id], [], first, TEN, 2, first + timedelta(days=30))
    with pytest.raises(Refused, match="people of the teams you coach"):
        start_checkin_series(people["coach_b"], [], [people["agent"].id], first, TEN, 2, first + timedelta(days=30))
    with pytest.raises(Refused, match="teams you coach"):
        start_checkin_series(people["admin"], [people["team_a"].id], [], first, TEN, 2, first + timedelta(days=30))
    login(people["agent"])
    assert client.get("/coaching/checkin-series/new").status_code == 403
    assert client.post("/coaching/checkin-series/new", data={**data, "teams": [people["team_a"].id]}).status_code == 403
    client.post("/logout")
    assert client.get("/coaching/checkin-series/new").status_code == 302
    assert CheckInSeries.select().count() == 0


def test_a_running_series_is_left_alone_and_reported(people):
    first = next_weekday(1)
    start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 2, first + timedelta(days=30))
    started, skipped = start_checkin_series(people["coach_a"], [people["team_a"].id], [], first, time(11), 2,
                                            first + timedelta(days=30))
    assert [s.employee_id for s in started] == [people["other_agent"].id]
    assert skipped == [people["agent"]]


def test_one_occurrence_moves_alone(people):
    first = next_weekday(1)
    (series,), _ = start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 2,
                                        first + timedelta(days=60))
    before = series_checkins(people["agent"])
    move_checkin(people["coach_a"], before[1], datetime.combine(before[1].starts_at.date() + timedelta(days=1), time(15)), 30)
    after = {c.id: c for c in series_checkins(people["agent"])}
    assert to_local(after[before[1].id].starts_at, "Europe/Berlin").time() == time(15)
    assert after[before[1].id].sequence == 1
    assert all(after[c.id].starts_at == c.starts_at and after[c.id].sequence == 0 for c in before if c.id != before[1].id)
    assert next_checkins([series.id])[series.id].id == before[0].id
    move_checkin(people["coach_a"], before[0], datetime.combine(before[2].starts_at.date() + timedelta(days=1), TEN), 30)
    assert next_checkins([series.id])[series.id].id == before[1].id


def test_open_agenda_items_carry_to_the_next_checkin_until_done(client, login, people, plan):
    first = next_weekday(1)
    start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 1, first + timedelta(days=21))
    one, two, three = series_checkins(people["agent"])[:3]
    open_item = add_agenda_item(people["agent"], one, "Escalation wording")
    done_item = add_agenda_item(people["coach_a"], one, "Holiday cover")
    single = schedule_checkin(people["coach_a"], plan, datetime.combine(first, time(8)), 30)
    add_agenda_item(people["agent"], single, "Not part of the series")
    login(people["agent"])
    assert client.post(f"/checkins/{one.id}/agenda/{done_item.id}/done", data={"done": "1"}).status_code == 302
    assert [i.id for i in carried_items(two)] == [open_item.id]
    assert [i.id for i in carried_items(three)] == [open_item.id]
    assert carried_items(one) == []
    page = client.get(f"/checkins/{two.id}").get_data(as_text=True)
    assert "Carried from earlier check-ins" in page and "Escalation wording" in page
    assert client.post(f"/checkins/{two.id}/agenda/{open_item.id}/done", data={"done": "1"}).status_code == 302
    assert carried_items(three) == []
    login(people["other_agent"])
    assert client.post(f"/checkins/{two.id}/agenda/{open_item.id}/done", data={"done": "0"}).status_code == 404
    login(people["coach_b"])
    assert client.post(f"/checkins/{one.id}/agenda/{open_item.id}/done", data={"done": "0"}).status_code == 404
    assert CheckInAgendaItem.get_by_id(open_item.id).done_at is not None
    login(people["agent"])
    assert client.post(f"/checkins/{single.id}/agenda/{open_item.id}/done", data={"done": "0"}).status_code == 404


def test_occurrences_are_reminded_to_both_people(people):
    tomorrow = date.today() + timedelta(days=1)
    start_checkin_series(people["coach_a"], [], [people["agent"].id], tomorrow, TEN, 2, tomorrow + timedelta(days=30))
    due = list(checkin_reminders_due(utcnow(), timedelta(days=3)))
    assert sorted(r.user.id for r in due) == sorted([people["agent"].id, people["coach_a"].id])


def test_stopping_cancels_the_coming_checkins_and_only_their_coach_may(client, login, people):
    first = next_weekday(1)
    (series,), _ = start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 2,
                                        first + timedelta(days=60))
    login(people["coach_b"])
    assert client.post(f"/coaching/checkin-series/{series.id}/stop").status_code == 404
    login(people["agent"])
    assert client.post(f"/coaching/checkin-series/{series.id}/stop").status_code == 404
    assert {c.status for c in series_checkins(people["agent"])} == {"scheduled"}
    login(people["coach_a"])
    assert client.post(f"/coaching/checkin-series/{series.id}/stop").status_code == 302
    assert {(c.status, c.sequence) for c in series_checkins(people["agent"])} == {("cancelled", 1)}
    assert CheckInSeries.get_by_id(series.id).active is False
    assert stop_checkin_series(people["coach_a"], CheckInSeries.get_by_id(series.id)) == 0



def test_a_recurring_checkin_counts_for_the_team_progress_overdue_checkins(people, plan):
    from learning.coaching.models import Plan
    from learning.progress.sources_coaching import checkins_overdue

    Plan.update(start_date=date.today() - timedelta(days=60)).where(Plan.id == plan.id).execute()
    assert people["agent"].id in checkins_overdue([people["agent"].id], utcnow())
    first = next_weekday(1)
    start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 2, first + timedelta(days=30))
    assert checkins_overdue([people["agent"].id], utcnow()) == {}


def test_both_peoples_calendar_feeds_carry_the_series_checkins(client, people, feed_url, login):
    from icalendar import Calendar

    first = next_weekday(1)
    start_checkin_series(people["coach_a"], [], [people["agent"].id], first, TEN, 2, first + timedelta(days=42))
    expected = {f"checkin-{c.id}@support-development": c.starts_at for c in series_checkins(people["agent"])}
    assert len(expected) == 4
    for person in (people["agent"], people["coach_a"]):
        body = client.get(feed_url(person)).data
        events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
        found = {uid: events[uid].decoded("DTSTART").astimezone(timezone.utc).replace(tzinfo=None)
                 for uid in expected if uid in events}
        assert found == expected
