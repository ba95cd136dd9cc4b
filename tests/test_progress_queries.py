"""Each progress page runs the same number of SQL queries for a team of 10 and of 200,
with and without the monthly summary."""
import pytest

from learning.accounts.models import User
from learning.progress.models import MeasureDefinition, PersonMonth, ProgressSummary, ServiceMeasure
from learning.progress.rebuild import rebuild


def grow_team(team, size, months):
    """`size` agents in `team`, each with three months of CSAT and an attended session."""
    from learning.accounts.models import User as U
    from datetime import datetime, timedelta
    from learning.schedule.models import Rsvp, Series, Session

    rows = [{"email": f"m{team.id}-{i}@example.org", "display_name": f"Member {i}", "password_hash": "x",
             "role": "agent", "team": team.id, "timezone": "Europe/Berlin"} for i in range(size)]
    U.insert_many(rows).execute()
    ids = [u.id for u in U.select(U.id).where(U.email.startswith(f"m{team.id}-"))]
    csat = MeasureDefinition.get(MeasureDefinition.name == "csat")
    ServiceMeasure.insert_many([{"user": uid, "month": m, "measure": csat.id, "value": 80}
                                for uid in ids for m in months[-3:]]).execute()
    admin = U.get(U.role == "admin")
    series = Series.create(kind="skill", title=f"S{size}", duration_minutes=60, timezone="UTC",
                           first_start_local=datetime(2025, 1, 1), created_by=admin)
    start = datetime(months[-2].year, months[-2].month, 10, 12)
    session = Session.create(series=series, uid=f"q{size}", recurrence_local=start, starts_at=start,
                             ends_at=start + timedelta(hours=1), timezone="UTC")
    Rsvp.insert_many([{"session": session.id, "user": uid, "status": "going", "queue_number": n,
                       "attendance": "attended"} for n, uid in enumerate(ids)]).execute()


def queries_for(client, url, count_queries):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def live_and_summarised(client, url, count_queries):
    """Queries of a request without the monthly summary, then of one after `progress rebuild`."""
    PersonMonth.delete().execute()
    ProgressSummary.delete().execute()
    live = queries_for(client, url, count_queries)
    rebuild("Europe/Berlin")
    return live, queries_for(client, url, count_queries)


@pytest.mark.parametrize("url", ["/progress/team/{team}", "/progress/team/{team}?format=csv&table=trends",
                                 "/progress/programme", "/progress"])
def test_pages_run_a_bounded_number_of_queries(people, make_team, login, count_queries, months, url):
    small, large = make_team("Small"), make_team("Large")
    grow_team(small, 10, months)
    client = login(people["admin"])
    few = live_and_summarised(client, url.format(team=small.id), count_queries)
    grow_team(large, 200, months)
    many = live_and_summarised(client, url.format(team=large.id), count_queries)
    assert User.select().count() > 210
    assert few == many
    live, summarised = many
    assert live <= 32 and summarised <= 25
