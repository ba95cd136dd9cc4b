"""Modules and cohorts as CSV rows, from the same queries as their pages: the catalogue with
the viewer's standing in each module, a module's cohorts with their seats, and a cohort's
participants with their progress (for coaches and admins, who see them on the page)."""
from peewee import chunked

from learning.curriculum.service import module_status_for

CHUNK = 200
CATALOGUE_COLUMNS = ("Module", "Title", "Area", "Status", "Estimated hours", "Valid for (months)", "My standing",
                     "Units done", "Units")
COHORT_COLUMNS = ("Cohort", "Title", "Starts", "Ends", "Capacity", "Going", "Waiting")
PARTICIPANT_COLUMNS = ("Person", "E-mail", "Place", "Units done", "Units", "Sessions attended", "Sessions",
                       "Completed")


def catalogue_rows(query, user):
    """Rows of the catalogue `query` (authoring.catalogue_query), `user`'s standing in each."""
    for chunk in chunked(query.iterator(), CHUNK):
        statuses = module_status_for(user, chunk)
        for module in chunk:
            status = statuses[module.id]
            yield (module.id, module.title, module.area, module.status, module.estimated_hours,
                   module.validity_months, status.label, status.units_done, status.units_total)


def cohort_rows(cohorts):
    """Rows of a module's cohorts (authoring.cohorts_with_seats)."""
    return ((c.id, c.title, c.starts_on, c.ends_on, c.capacity, c.going, c.waiting) for c in cohorts)


def participant_rows(progress):
    """Rows of a cohort's participants (roster.cohort_progress)."""
    rows, units_total, sessions_total = progress
    for row in rows:
        enrolment, completion = row["enrolment"], row["completion"]
        yield (enrolment.user.display_name, enrolment.user.email, enrolment.status, row["units_done"], units_total,
               row["attended"], sessions_total, completion.completed_at if completion else "")
