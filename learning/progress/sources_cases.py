"""What progress reads from case reviews: cases brought and discussed per person
and month, the "case discussed" milestone, case volume and library growth (a programme table)."""
from peewee import fn

from learning.cases.models import Case, Takeaway
from learning.progress.members import for_people
from learning.progress.periods import local_month, month_label
from learning.progress.tables import Table, shown


def _per_user_month(field, user_ids, start, end, zone):
    """Query: (user_id, 'YYYY-MM', cases) by the month of `field`."""
    month = local_month(field, zone)
    query = (Case.select(Case.author.alias("user_id"), month.alias("month"), fn.COUNT(Case.id).alias("n"))
             .where(field >= start, field < end).group_by(Case.author, month))
    return for_people(query, Case.author, user_ids)


def cases_brought(user_ids, start, end, zone):
    return _per_user_month(Case.submitted_at, user_ids, start, end, zone)


def cases_discussed(user_ids, start, end, zone):
    return _per_user_month(Case.discussed_at, user_ids, start, end, zone)


def milestones(user_id, start, end):
    query = Case.select(Case.discussed_at, Case.title).where(
        Case.author == user_id, Case.discussed_at >= start, Case.discussed_at < end)
    return [(when, "Case discussed", title, False) for when, title in query.tuples()]


def last_activity(user_ids, before):
    """Query: (user_id, when they last brought a case)."""
    query = (Case.select(Case.author.alias("user_id"), fn.MAX(Case.submitted_at).alias("at"))
             .where(Case.submitted_at < before).group_by(Case.author))
    return for_people(query, Case.author, user_ids)


def volume_table(window, per_month):
    """Cases submitted and discussed per month (with the people behind them) and the library's
    size at the end of each month. `per_month`: person_months.monthly() of everyone's months."""
    month = local_month(Takeaway.created_at, window.zone)
    added = dict(Takeaway.select(month, fn.COUNT(Takeaway.id)).where(Takeaway.created_at < window.end)
                 .group_by(month).tuples())
    rows = []
    for m, key in zip(window.months, window.keys):
        _, counts, people = per_month.get(key, (0, {}, {}))
        rows.append([month_label(m)] + [shown(counts.get(name, 0), people.get(name, 0))
                                        for name in ("cases_brought", "cases_discussed")]
                    + [sum(n for k, n in added.items() if k <= key)])
    return Table("cases", "Case-review volume and library growth",
                 ["Month", "Cases submitted", "Cases discussed", "Takeaways in the library"], rows,
                 numeric=(1, 2, 3))
