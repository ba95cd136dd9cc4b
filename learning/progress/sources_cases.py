"""What progress reads from case reviews: cases brought and discussed per person
and month, the "case discussed" milestone, case volume and library growth."""
from peewee import fn

from learning.cases.models import Case, Takeaway
from learning.progress.periods import local_month, month_key, month_label
from learning.progress.tables import Table, shown


def _per_user_month(field, user_ids, start, end, zone):
    month = local_month(field, zone)
    query = (Case.select(Case.author, month, fn.COUNT(Case.id))
             .where(field >= start, field < end).group_by(Case.author, month))
    if user_ids is not None:
        query = query.where(Case.author.in_(list(user_ids)))
    return {(uid, m): n for uid, m, n in query.tuples()}


def cases_brought(user_ids, start, end, zone):
    return _per_user_month(Case.submitted_at, user_ids, start, end, zone)


def cases_discussed(user_ids, start, end, zone):
    return _per_user_month(Case.discussed_at, user_ids, start, end, zone)


def milestones(user_id, start, end):
    query = Case.select(Case.discussed_at, Case.title).where(
        Case.author == user_id, Case.discussed_at >= start, Case.discussed_at < end)
    return [(when, "Case discussed", title, False) for when, title in query.tuples()]


def last_activity(user_ids, before):
    query = (Case.select(Case.author, fn.MAX(Case.submitted_at))
             .where(Case.submitted_at < before).group_by(Case.author))
    if user_ids is not None:
        query = query.where(Case.author.in_(list(user_ids)))
    return dict(query.tuples())


def volume_table(start, end, zone, months):
    """Cases submitted and discussed per month (with the people behind them) and the library's size."""
    submitted = cases_brought(None, start, end, zone)
    discussed = cases_discussed(None, start, end, zone)
    month = local_month(Takeaway.created_at, zone)
    added = dict(Takeaway.select(month, fn.COUNT(Takeaway.id)).where(Takeaway.created_at < end)
                 .group_by(month).tuples())
    library = sum(n for key, n in added.items() if key < month_key(months[0]))
    rows = []
    for m in months:
        key = month_key(m)
        library += added.get(key, 0)
        row = [month_label(m)]
        for counts in (submitted, discussed):
            people = {uid for (uid, k) in counts if k == key}
            row.append(shown(sum(n for (_, k), n in counts.items() if k == key), len(people)))
        rows.append(row + [library])
    return [Table("cases", "Case-review volume and library growth",
                  ["Month", "Cases submitted", "Cases discussed", "Takeaways in the library"], rows,
                  numeric=(1, 2, 3))]


def install(activities, milestone_sources, optional):
    activities.append(("cases_brought", "Cases brought", cases_brought))
    activities.append(("cases_discussed", "Cases discussed", cases_discussed))
    milestone_sources.append(milestones)
    optional["last_activity"].append(last_activity)
    optional["programme"].append(volume_table)
