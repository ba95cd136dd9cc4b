"""A person who leaves gives up their places at sessions still to come: each seat they
held goes to the first on its waitlist, who is told (the seats rule of `seats.py`,
through `service.release_place`). Places at past sessions stay: they are history."""
from learning.accounts.signals import person_left
from learning.db import utcnow
from learning.schedule.models import Rsvp, Session
from learning.schedule.service import HOLDING, release_place


def release_future_places(user, **extra):
    places = (Rsvp.select(Rsvp, Session).join(Session)
              .where(Rsvp.user == user.id, Rsvp.status.in_(HOLDING), Session.starts_at > utcnow())
              .order_by(Session.starts_at, Rsvp.id))
    for place in places:
        release_place(place)


def connect():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    person_left.connect(release_future_places, weak=False)
