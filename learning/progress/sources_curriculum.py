"""What progress reads from the advanced modules: completions per person and
month, the "module completed" milestone (a marker on the service chart), and
per module the completion rate and the time from enrolment to completion."""
from peewee import JOIN, fn

from learning.curriculum.models import Cohort, Completion, Enrolment, Module
from learning.progress.members import for_people
from learning.progress.periods import local_month
from learning.progress.tables import Table, shown

MODULE_ROWS_SHOWN = 25


def modules_completed(user_ids, start, end, zone):
    """Query: (user_id, 'YYYY-MM', modules completed)."""
    month = local_month(Completion.completed_at, zone)
    query = (Completion.select(Completion.user.alias("user_id"), month.alias("month"),
                               fn.COUNT(Completion.id).alias("n"))
             .where(Completion.completed_at >= start, Completion.completed_at < end)
             .group_by(Completion.user, month))
    return for_people(query, Completion.user, user_ids)


def milestones(user_id, start, end):
    query = (Completion.select(Completion.completed_at, Module.title).join(Module)
             .where(Completion.user == user_id, Completion.completed_at >= start, Completion.completed_at < end))
    return [(when, "Module completed", title, True) for when, title in query.tuples()]


def last_activity(user_ids, before):
    """Query: (user_id, when they last completed a module)."""
    query = (Completion.select(Completion.user.alias("user_id"), fn.MAX(Completion.completed_at).alias("at"))
             .where(Completion.completed_at < before).group_by(Completion.user))
    return for_people(query, Completion.user, user_ids)


def completion_table(window):
    """Per module: people enrolled in a cohort, how many completed, and the average days it took.
    The modules most people enrolled in first: a catalogue of hundreds shows its busiest on the
    page (rendering every one grew the page with the catalogue), and the CSV export holds them all."""
    return Table("modules", "Module completion",
                 ["Module", "People enrolled", "Completed", "Completion rate (%)", "Average days to complete"],
                 _completion_rows(window.end), numeric=(1, 2, 3, 4),
                 page_limit=MODULE_ROWS_SHOWN, page_order="the modules most people enrolled in first")


def _completion_rows(end):
    query = (Enrolment.select(Module.title, Enrolment.user, Enrolment.created_at, Completion.completed_at)
             .join(Cohort).join(Module)
             .join(Completion, JOIN.LEFT_OUTER,
                   on=((Completion.module == Module.id) & (Completion.user == Enrolment.user)))
             .where(Enrolment.status == "going", Enrolment.created_at < end))
    per_module = {}
    for title, uid, enrolled, completed in query.tuples():
        entry = per_module.setdefault(title, {"people": set(), "done": set(), "days": []})
        entry["people"].add(uid)
        if completed and completed >= enrolled and uid not in entry["done"]:
            entry["done"].add(uid)
            entry["days"].append((completed - enrolled).days)
    rows = []
    for title, entry in sorted(per_module.items(), key=lambda item: (-len(item[1]["people"]), item[0])):
        people, done = len(entry["people"]), len(entry["done"])
        rate = round(100.0 * done / people, 1) if people else None
        days = round(sum(entry["days"]) / len(entry["days"]), 1) if entry["days"] else None
        rows.append([title] + [shown(v, people) for v in (people, done, rate, days)])
    return rows

