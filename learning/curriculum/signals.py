"""Signals the curriculum sends; notify, coaching and progress subscribe in their own
folders. They fire inside the transaction of the change, so a roll-back undoes the
reaction too. Names live in blinker's default namespace.
"""
from blinker import signal

# sender: Enrolment (after the change); old_status: previous status or None for a new
# place; promoted: True when a waitlisted place became going because a seat freed.
enrolment_changed = signal("curriculum.enrolment-changed")

# sender: Completion (method "rule" or "coach"; note, recorded_by for a coach's).
module_completed = signal("curriculum.module-completed")
