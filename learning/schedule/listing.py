"""What the schedule pages show about a list of sessions, in a fixed number of
queries whatever the list's length: seats taken, the viewer's place and
position in line, facilitators and competencies of each series."""
from dataclasses import dataclass, field

from peewee import chunked

from learning.schedule import service
from learning.schedule.models import KIND_LABELS

EXPORT_CHUNK = 200   # sessions described at a time in an export: five queries per chunk
SESSION_COLUMNS = ("Session", "Title", "Kind", "Starts", "Ends", "Status", "Location", "Video link", "Capacity",
                   "Going", "Seats left", "Facilitators", "Competencies", "My place")


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


def session_rows(query, user):
    """The sessions of `query` (series joined) as export rows, as the list shows them to `user`,
    read a chunk at a time so that memory and queries grow by the chunk, not by the row."""
    for chunk in chunked(query.iterator(), EXPORT_CHUNK):
        for line in describe_sessions(chunk, user):
            s = line.session
            yield (s.id, s.series.title, KIND_LABELS.get(s.series.kind, s.series.kind), s.starts_at, s.ends_at,
                   s.status, s.location, s.video_url, s.capacity, line.going, line.seats_left,
                   "; ".join(u.display_name for u in line.facilitators),
                   "; ".join(c.name for c in line.competencies), line.my_state or "")
