"""What progress reads from case reviews: cases brought and discussed per person
and month, the "case discussed" milestone, case volume and library growth."""
from peewee import fn

from learning.cases.models import Case, Takeaway
from learning.progress.per_people import PerPeople, for_people
from learning.progress.periods import local_month, month_key, month_label
from learning.progress.tables import Table, shown


def _per_user_month(field, user_ids, start, end, zone):
    month = local_month(field, zone)
    query = (Case.select(Case.author, month, fn.COUNT(Case.id))
             .where(field >= start, field < end).group_by(Case.author, month))
    return {(uid, m): n for uid, m, n in for_people(query, Case.author, user_ids).tuples()}


def cases_brought(user_ids, start, end, zone):
    return _per_user_month(Case.submitted_at, user_ids, start, end, zone)


def cases_discussed(user_ids, start, end, zone):
    return _per_user_month(Case.discussed_at, user_ids, start, end, zone)


def milestones(user_id, start, end):
    query = Case.select(Case.discussed_at, Case.title).where(
        Case.author == user_id, Case.discussed_at >= start, Case.discussed_at < end)
    return [(when, "Case discussed", title, False) for when, title in query.tuples()]


def last_activity(user_ids, before):
    return dict(_LAST_CASE.rows(user_ids, before))


def _last_case(before, people):
    query = (Case.select(Case.author, fn.MAX(Case.submitted_at))
             .where(Case.submitted_at < before).group_by(Case.author))
    return for_people(query, Case.author, people).tuples()


_LAST_CASE = PerPeople(_last_case, values=1)   # the team page, every view


def _volume(window, lo, hi):
    """{'YYYY-MM': {"submitted": [cases, people], "discussed": [cases, people], "library": takeaways
    created up to the end of that month}} for the window's months inside [lo, hi)."""
    zone = window.zone
    result = {key: {"submitted": [0, 0], "discussed": [0, 0], "library": 0}
              for key in window.keys if lo <= window.spans[key][0] and window.spans[key][1] <= hi}
    for name, counts in (("submitted", cases_brought(None, lo, hi, zone)),
                         ("discussed", cases_discussed(None, lo, hi, zone))):
        people = {}
        for (uid, key), n in counts.items():
            if key in result:
                result[key][name][0] += n
                people.setdefault(key, set()).add(uid)
        for key, uids in people.items():
            result[key][name][1] = len(uids)
    month = local_month(Takeaway.created_at, zone)
    added = dict(Takeaway.select(month, fn.COUNT(Takeaway.id)).where(Takeaway.created_at < hi)
                 .group_by(month).tuples())
    for key, entry in result.items():
        entry["library"] = sum(n for k, n in added.items() if k <= key)
    return result


def volume_table(rollup):
    """Cases submitted and discussed per month (with the people behind them) and the library's size."""
    window = rollup.window

    def current(closed):
        """This month's cases, and the library as last month left it plus this month's takeaways."""
        lo, end = window.live_range()
        entry = {"library": closed[window.keys[-2]]["library"] + Takeaway.select().where(
            Takeaway.created_at >= lo, Takeaway.created_at < window.spans[window.current][1]).count()}
        from learning.progress.sources import shared_activity_counts
        counts = shared_activity_counts(rollup, None, lo, end)
        for name, counts in (("submitted", counts["cases_brought"]), ("discussed", counts["cases_discussed"])):
            mine = {uid: n for (uid, key), n in counts.items() if key == window.current}
            entry[name] = [sum(mine.values()), len(mine)]
        return entry

    per_month = rollup.monthly("cases", lambda lo, hi: _volume(window, lo, hi), live=current)
    rows = []
    for m in window.months:
        entry = per_month[month_key(m)]
        rows.append([month_label(m)] + [shown(*entry[name]) for name in ("submitted", "discussed")]
                    + [entry["library"]])
    return [Table("cases", "Case-review volume and library growth",
                  ["Month", "Cases submitted", "Cases discussed", "Takeaways in the library"], rows,
                  numeric=(1, 2, 3))]


def install(activities, milestone_sources, optional):
    activities.append(("cases_brought", "Cases brought", cases_brought))
    activities.append(("cases_discussed", "Cases discussed", cases_discussed))
    milestone_sources.append(milestones)
    optional["last_activity"].append(last_activity)
    optional["programme"].append(volume_table)
