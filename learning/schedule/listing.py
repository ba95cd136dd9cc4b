"""What the schedule pages show about a list of sessions, in a fixed number of
queries whatever the list's length: seats taken, the viewer's place and
position in line, facilitators and competencies of each series."""
from dataclasses import dataclass, field

from learning.schedule import service


@dataclass
class SessionLine:
    session: object
    going: int = 0
    place: object = None
    position: int = None
    facilitators: list = field(default_factory=list)
    competencies: list = field(default_factory=list)

    @property
    def seats_left(self):
        capacity = self.session.capacity
        return None if capacity is None else max(0, capacity - self.going)

    @property
    def my_state(self):
        return self.place.status if self.place and self.place.status in service.HOLDING else None


def describe_sessions(sessions, user):
    """SessionLine for each session (with `series` already joined): five queries in all."""
    sessions = list(sessions)
    ids = [s.id for s in sessions]
    series_ids = {s.series_id for s in sessions}
    counts = service.session_seat_counts(ids)
    places = service.places_of(user, ids)
    positions = service.waitlist_positions(places.values())
    facilitators = service.facilitators_of(series_ids)
    competencies = service.competencies_of(series_ids)
    own = service.people_by_id({s.facilitator_id for s in sessions if s.facilitator_id})
    lines = []
    for s in sessions:
        place = places.get(s.id)
        lines.append(SessionLine(
            session=s, going=counts.get(s.id, 0), place=place,
            position=positions.get(place.id) if place else None,
            facilitators=[own[s.facilitator_id]] if s.facilitator_id in own else facilitators[s.series_id],
            competencies=competencies[s.series_id]))
    return lines
