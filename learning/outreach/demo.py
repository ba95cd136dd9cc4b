"""Demo rhythm and team talk (seeds/outreach.json): fortnightly check-ins for a whole team
(one member in New York, so the wall-clock time follows each person's zone), an announcement
pinned for the other team, and a nudge to those who have not signed up to a skill series."""
from datetime import time, timedelta

from learning.accounts.models import Team, User
from learning.coaching.checkin_series import start_checkin_series
from learning.db import utcnow
from learning.outreach.models import Announcement
from learning.outreach.service import announce
from learning.outreach.who_hasnt import ask, send_nudge
from learning.refusals import Refused
from learning.schedule.models import Series
from learning.seeds import read_seed
from learning.wording import count_of


def load(context):
    if Announcement.select().exists():
        return None
    data = read_seed("outreach.json")
    users, teams = {u.email: u for u in User.select()}, {t.name: t for t in Team.select()}
    started = _checkin_series(data["checkin_series"], users, teams)
    item = data["announcement"]
    announce(users[item["by"]], teams[item["team"]], item["body"], utcnow().date() + timedelta(days=item["pinned_days"]))
    return f"check-ins for {count_of(started, 'person')}, an announcement, " + _nudge(data["nudge"], users, teams)


def _checkin_series(item, users, teams):
    today = utcnow().date()
    first = today + timedelta(days=(item["weekday"] - today.weekday()) % 7 or 7)
    started, _ = start_checkin_series(users[item["coach"]], [teams[item["team"]].id], [], first, time(item["hour"]),
                                      item["every_weeks"], first + timedelta(days=item["days"]))
    return len(started)


def _nudge(item, users, teams):
    team = teams[item["team"]]
    series = Series.get_or_none(Series.title == item["series"])
    try:
        nudge = send_nudge(users[item["by"]], team, ask(team, "series", series and series.id), item["message"])
    except Refused:
        return "no nudge (everyone has signed up)"
    return f"a nudge to {count_of(nudge.reached, 'person')}"
