"""Signals the schedule sends; higher packages (notify, coaching, calendars,
progress) subscribe in their own folders. They fire inside the transaction of
the change, so a roll-back undoes the reaction too.

A subscriber imports the signal object from here and connects to it.
Every signal's sender is the changed object; keyword arguments as listed.
"""
from blinker import signal

# sender: Session; change: "moved" | "updated" | "cancelled" | "restored";
# user_ids: people holding a place (going or waitlisted) at that moment.
session_changed = signal("schedule.session-changed")

# sender: Series just created (its sessions over the horizon written); sessions: how many.
series_created = signal("schedule.series-created")

# sender: Rsvp (after the change); old_status: previous status or None for a new place;
# promoted: True when a waitlisted place became going because a seat freed.
rsvp_changed = signal("schedule.rsvp-changed")

# sender: Session; rsvps: the Rsvp rows whose attendance was recorded.
attendance_recorded = signal("schedule.attendance-recorded")

# sender: Series; user_ids: people given places at its future sessions by someone else
# (a coach enrolling a team); by: that person. One signal per enrolment, not one per place.
series_enrolled = signal("schedule.series-enrolled")

# A question, not news: sender: the coach enrolling people in a series. A subscriber (the
# curriculum) answers with an object having `choices` (Cohort rows with their module: the module
# cohorts the coach may draw people from) and `members(cohort_id)` (a query of those people's ids;
# refuses a cohort not among the choices).
cohort_sources = signal("schedule.cohort-sources")
