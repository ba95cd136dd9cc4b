"""A person who leaves gives up their places in cohorts not yet over, as if they had left
each (`service.leave`: the first on the waitlist moves up and is told). Completions and
unit progress stay: they are history."""
from learning.accounts.signals import person_left
from learning.curriculum.models import Cohort, Enrolment
from learning.curriculum.service import HOLDING, leave
from learning.db import utcnow


def leave_open_cohorts(user, **extra):
    places = (Enrolment.select().join(Cohort)
              .where(Enrolment.user == user.id, Enrolment.status.in_(HOLDING), Cohort.ends_on >= utcnow().date())
              .order_by(Enrolment.id))
    for place in places:
        leave(place)


def connect():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    person_left.connect(leave_open_cohorts, weak=False)
