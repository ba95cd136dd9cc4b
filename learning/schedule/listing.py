"""What the schedule pages show about a list of sessions, in a fixed number of
queries whatever the list's length: seats taken, the viewer's place and
position in line, facilitators and competencies of each series."""
from dataclasses import dataclass, field

from flask import current_app

from learning.schedule import service
from learning.web import int_arg


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


@dataclass
class OpenPage:
    """A page of a list whose length is not counted: one row past the page says whether
    there is a next one (`arg` is the query-string name of the page number)."""
    items: list
    number: int
    size: int
    has_next: bool
    arg: str = "page"

    @property
    def has_previous(self):
        return self.number > 1


def open_page(query, arg="page", size=None):
    """The page of `query` named by `?<arg>=`, in one query (no count)."""
    return open_page_compiled(lambda limit, offset: query.limit(limit).offset(offset), arg=arg, size=size)


def open_page_compiled(rows, *values, arg="page", size=None):
    """open_page for a list whose query is written once: `rows(*values, limit, offset)`."""
    size = size or current_app.config["PAGE_SIZE"]
    number = int_arg(arg, 1, minimum=1, maximum=100000)
    found = list(rows(*values, size + 1, (number - 1) * size))
    return OpenPage(items=found[:size], number=number, size=size, has_next=len(found) > size, arg=arg)
