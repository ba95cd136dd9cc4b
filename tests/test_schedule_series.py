"""Creating a series: recurrence over DST, UIDs, the horizon and refused input."""
from datetime import date, datetime, timedelta

import pytest

from learning.db import utcnow
from learning.refusals import Refused
from learning.schedule import service
from learning.schedule.models import Series, Session
from learning.schedule.recurrence import build_rule
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")


def future_october_tuesday():
    """A Tuesday in late October (Berlin leaves summer time on its last Sunday)."""
    year = utcnow().year + 1
    day = datetime(year, 10, 14, 10)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def test_weekly_series_keeps_wall_clock_time_across_daylight_saving_change(new_series):
    first = future_october_tuesday()
    series = new_series(first_start_local=first, rrule=build_rule("weekly", first, count=4))
    sessions = list(series.sessions.order_by(Session.starts_at))
    assert [s.recurrence_local.hour for s in sessions] == [10, 10, 10, 10]
    utc_hours = [s.starts_at.hour for s in sessions]
    assert utc_hours[0] == 8 and utc_hours[-1] == 9   # CEST (UTC+2) then CET (UTC+1)
    assert all(s.ends_at - s.starts_at == timedelta(minutes=60) for s in sessions)


def test_session_uid_names_series_and_occurrence(new_series):
    first = next_weekday_at(10)
    series = new_series(first_start_local=first)
    session = series.sessions.get()
    assert session.uid.startswith(f"session-{series.id}-{first:%Y%m%dT%H%M}@")


def test_every_other_week_until_a_date(new_series):
    first = next_weekday_at(10)
    rule = build_rule("every_n_weeks", first, interval=2, until=(first + timedelta(days=50)).date())
    series = new_series(first_start_local=first, rrule=rule)
    starts = [s.recurrence_local for s in series.sessions.order_by(Session.starts_at)]
    assert starts == [first + timedelta(weeks=2 * i) for i in range(4)]


def test_monthly_on_the_nth_weekday(new_series):
    first = datetime(utcnow().year + 1, 3, 10, 9)   # the 2nd <weekday> of March
    series = new_series(first_start_local=first, rrule=build_rule("monthly_nth_weekday", first, count=3))
    starts = [s.recurrence_local for s in series.sessions.order_by(Session.starts_at)]
    assert all(s.weekday() == first.weekday() and 8 <= s.day <= 14 for s in starts)
    assert [s.month for s in starts] == [3, 4, 5]


def test_open_ended_series_is_generated_to_the_horizon_and_extended_idempotently(app, new_series):
    app.config["SCHEDULE_HORIZON_DAYS"] = 60
    series = new_series(rrule=build_rule("weekly", next_weekday_at(10)))
    generated = series.sessions.count()
    assert 8 <= generated <= 9
    app.config["SCHEDULE_HORIZON_DAYS"] = 120
    with app.app_context():
        added = service.extend_horizon()
        assert added >= 8
        assert service.extend_horizon() == 0
    assert series.sessions.count() == generated + added


def test_extend_cli_command(app, new_series):
    app.config["SCHEDULE_HORIZON_DAYS"] = 30
    new_series(rrule=build_rule("weekly", next_weekday_at(10)))
    app.config["SCHEDULE_HORIZON_DAYS"] = 90
    result = app.test_cli_runner().invoke(args=["schedule", "extend"])
    assert result.exit_code == 0 and "added" in result.output


@pytest.mark.parametrize("overrides, field", [
    (dict(duration_minutes=0), "end_time"),
    (dict(duration_minutes=-30), "end_time"),
    (dict(capacity=-1), "capacity"),
    (dict(timezone="Mars/Olympus"), "timezone"),
    (dict(rrule="FREQ=WEEKLY;UNTIL=20000101T000000"), "pattern"),
    (dict(rrule="FREQ=SOMETIMES"), "pattern"),
    (dict(first_start_local=datetime(2020, 1, 7, 10)), "start_date"),
    (dict(title="x" * 201), "title"),
    (dict(title="  "), "title"),
    (dict(description="x" * 5001), "description"),
    (dict(location="x" * 201), "location"),
    (dict(video_url="javascript:alert(1)"), "video_url"),
    (dict(kind="party"), "kind"),
    (dict(facilitator_ids=[999999]), "facilitator_ids"),
])
def test_bad_series_input_is_refused_with_its_field_and_nothing_is_written(new_series, overrides, field):
    with pytest.raises(Refused) as refused:
        new_series(**overrides)
    assert refused.value.field == field
    assert Series.select().count() == 0 and Session.select().count() == 0


def test_rule_until_today_before_first_start_yields_no_session(new_series):
    first = next_weekday_at(10)
    with pytest.raises(Refused, match="no session"):
        new_series(first_start_local=first, rrule=build_rule("weekly", first, until=date.today()))


def test_a_first_session_years_away_is_refused(new_series):
    with pytest.raises(Refused) as refused:
        new_series(first_start_local=datetime(9999, 12, 31, 23))
    assert refused.value.field == "start_date" and Series.select().count() == 0
