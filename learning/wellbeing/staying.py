"""People staying: per month, the people in a team (or the programme) at the month's end, who
joined and who left, their average tenure and how many took part in the programme, under the
same small-group rule as the pulse. Tenure runs from the HR start date, or from the day the
account was made when the HR list gave none; leaving is the departure recorded when the person
was deactivated (people reactivated since count as staying)."""
from datetime import timedelta

from learning.accounts.models import User
from learning.progress.periods import add_months, month_label
from learning.progress.tables import MIN_PEOPLE, SUPPRESSED, Table
from learning.wellbeing.models import Departure
from learning.wellbeing.rounds import programme_today


def started(start_date, created_at):
    return start_date or created_at.date()


def staff_of(members, team_id):
    """[(start day, left day or None)] of the team's members (`members`: User rows) and of
    those who left it (everyone's when `team_id` is None), one query for the leavers."""
    people = [(started(m.start_date, m.created_at), None) for m in members]
    leavers = (Departure.select(Departure.left_on, User.start_date, User.created_at)
               .join(User, on=(Departure.user == User.id)).where(User.active == False)  # noqa: E712
               .tuples())
    if team_id is not None:
        leavers = leavers.where(Departure.team == team_id)
    people += [(started(start_date, created_at), left_on) for left_on, start_date, created_at in leavers]
    return people


def month_figures(people, first_day, today=None):
    """(people at the month's end, or today in this month; joined, left, average tenure in months)."""
    last_day = add_months(first_day, 1) - timedelta(days=1)
    if today is not None and today < last_day:
        last_day = today
    present = [start for start, left in people if start <= last_day and (left is None or left > last_day)]
    joined = sum(1 for start, _ in people if first_day <= start <= last_day)
    left = sum(1 for _, gone in people if gone is not None and first_day <= gone <= last_day)
    tenure = sum((last_day - start).days for start in present) / 30.44 / len(present) if present else None
    return len(present), joined, left, round(tenure, 1) if tenure is not None else None


def staying_table(people, months, active_by_month=None, today=None):
    """One row per month; `active_by_month` {month key: people active in the programme}, or
    None to leave participation out (the programme's is on the progress pages)."""
    headers = ["Month", "People", "Joined", "Left", "Average tenure (months)"]
    headers += [] if active_by_month is None else ["Took part in the programme"]
    rows = []
    for first_day in months:
        figures = list(month_figures(people, first_day, today or programme_today()))
        if active_by_month is not None:
            figures.append(active_by_month.get(f"{first_day:%Y-%m}", 0))
        if figures[0] < MIN_PEOPLE:
            figures = [SUPPRESSED] + [None] * (len(figures) - 1)
        rows.append([month_label(first_day)] + figures)
    return Table("staying", "People staying per month", headers, rows, numeric=tuple(range(1, len(headers))))


def everyone():
    """The programme's active people, for its staying figures."""
    return list(User.select(User.start_date, User.created_at).where(User.active == True))  # noqa: E712
