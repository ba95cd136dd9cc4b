"""Schedule fixtures: a series factory and a session to RSVP to."""
from datetime import datetime, timedelta

import pytest

from learning.schedule import service


def next_weekday_at(hour, days_ahead=7):
    """A wall-clock datetime `days_ahead` days from today at `hour`:00."""
    day = datetime.now().date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour)


@pytest.fixture
def new_series(app, people):
    def factory(**overrides):
        fields = dict(created_by=people["coach_a"], kind="skill", title="Listen fully",
                      timezone="Europe/Berlin", first_start_local=next_weekday_at(10),
                      duration_minutes=60, rrule="", capacity=None)
        if overrides.get("team") is not None and "created_by" not in overrides:
            fields["created_by"] = people["admin"]   # a coach plans only for the teams they coach
        fields.update(overrides)
        with app.app_context():
            return service.create_series(**fields)
    return factory


@pytest.fixture
def one_session(new_series):
    """A future one-off skill session with 2 seats."""
    series = new_series(capacity=2)
    return series.sessions.get()


@pytest.fixture
def in_app_context(app):
    """Service calls outside a request run in an app context, as the CLI and requests do
    (subscribers of the schedule's signals read the app's configuration)."""
    with app.app_context():
        yield app
