"""What a person may subscribe to, import into or download (choices for the calendar pages)."""
from learning.accounts.models import Team
from learning.accounts.service import coached_team_ids
from learning.coaching import access
from learning.coaching.models import CheckIn
from learning.schedule.models import KIND_LABELS, Series
from learning.schedule.service import managed_series_rule


def subscribable(user):
    """(value, label) pairs: the personal feed, each kind, and the meetups of each team and each
    active series whose sessions the person can attend (a programme feed lists only those)."""
    options = [("personal", "My learning programme (sessions I go to, my check-ins)")]
    options += [(f"kind:{kind}", f"All {label.lower()}s") for kind, label in KIND_LABELS.items()]
    teams = Team.select(Team.id, Team.name).order_by(Team.name)
    if not user.is_admin:
        teams = teams.where((Team.id == user.team_id) | Team.id.in_(coached_team_ids(user)))
    options += [(f"team:{team.id}", f"{team.name}: case-review meetups") for team in teams]
    attendable = Series.team.is_null() | (Series.team == user.team_id) | managed_series_rule(user)
    series = Series.select(Series.id, Series.title).where(Series.active == True, attendable)  # noqa: E712
    options += [(f"series:{one.id}", f"Series: {one.title}") for one in series.order_by(Series.title)]
    return options


def editable_series(user):
    """Series a coach may import into: the series they manage (the schedule's managed_series_rule)."""
    return Series.select().where(Series.active == True, managed_series_rule(user)).order_by(Series.title)  # noqa: E712


def importable_series(user):
    return [(str(series.id), series.title) for series in editable_series(user)]


def visible_checkin(user, checkin_id):
    """A coaching check-in the user may see (employee, their coaches, admins), or None."""
    checkin = CheckIn.get_or_none(CheckIn.id == checkin_id)
    return checkin if checkin is not None and access.can_view_checkin(user, checkin) else None
