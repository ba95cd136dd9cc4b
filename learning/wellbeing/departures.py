"""A person who leaves is recorded with the team they left and the programme day, for the
people-staying figures."""
from learning.accounts.signals import person_left
from learning.wellbeing.models import Departure
from learning.wellbeing.rounds import programme_today


def record_departure(user, **extra):
    Departure.create(user=user.id, team=user.team_id, left_on=programme_today())


def connect():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    person_left.connect(record_departure, weak=False)
