"""In-process measurements against the same database: SQL queries per request
(playhouse.test_utils.count_queries through a Flask test client) and the feed
baseline (the same personal feed built the straightforward way, event by event
with icalendar's Event.add and to_ical, beside the app's own build)."""
import logging
import time
from datetime import timezone

from icalendar import Calendar, vDuration
from playhouse.test_utils import count_queries

from bench.app import create_bench_app
from learning.accounts.models import User
from learning.calendars import feeds, ical
from learning.calendars.models import FeedToken
from bench import api_requests, tokens


def bench_app(database_url):
    app = create_bench_app({"DATABASE_URL": database_url, "SECRET_KEY": tokens.SECRET_KEY,
                            "WTF_CSRF_ENABLED": False, "LEARNING_DEMO": False})
    # count_queries turns peewee's logger to DEBUG: keep its lines (and the request log) off the terminal.
    logging.getLogger("peewee").propagate = False
    logging.getLogger("learning.requests").setLevel(logging.WARNING)
    return app


def _signed_in_client(app, user_id):
    client = app.test_client()
    if user_id is not None:
        user = User.get_by_id(user_id)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def queries_per_request(app, page):
    """Queries of the page's first request (the second of two, so per-process caches are warm);
    an RSVP is counted on taking a place, then the place is given back; an API write once."""
    user_id, method, path, form, headers = page.requests[0]
    client = _signed_in_client(app, user_id)
    if method != "GET" and api_requests.is_api(path):   # an API write: counted once, as it is
        with count_queries() as counter:
            response = client.open(path, method=method, data=api_requests.body_of(form), headers=headers)
        return counter.count, response.status_code
    if method == "GET":
        if "ETAG" in headers.get("If-None-Match", ""):
            headers = {"If-None-Match": client.get(path).headers.get("ETag", "")}
        client.get(path, headers=headers)
        with count_queries() as counter:
            response = client.get(path, headers=headers)
    else:
        with count_queries() as counter:
            response = client.post(path, data=form)
        client.post(path, data={"action": "withdraw"})
    return counter.count, response.status_code


# --- the feed baseline ----------------------------------------------------------

def recorded_events(feed, window):
    """Each event's properties, in order (the database is read here, once, so the timings
    below compare serialisation only)."""
    return [event for source in feeds.sources_for(feed) for event in source.events(window)]


def ours_from(recorded, name, description):
    """The app's way: each event written by ical's content-line writer, joined by calendar_bytes
    (each zone's VTIMEZONE made once per process)."""
    return ical.calendar_bytes(recorded, name, description=description)


def straightforward_from(recorded, name, description):
    """The first way one would write it: every event made with Event.add, the whole calendar
    serialised with to_ical, nothing reused between polls."""
    made = [ical.vevent(properties) for properties in recorded]
    calendar = Calendar()
    for key, value in (("prodid", ical.PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"), ("name", name), ("x-wr-calname", name),
                       ("description", description), ("x-wr-caldesc", description)):
        calendar.add(key, value)
    calendar.add("refresh-interval", ical.REFRESH, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", vDuration(ical.REFRESH))
    zones = {}
    for event in made:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        zone = getattr(start.tzinfo, "key", "UTC")
        low, high = zones.get(zone, (start, end))
        zones[zone] = (min(low, start), max(high, end))
    for zone, (start, end) in sorted(zones.items()):
        calendar.add_component(ical.vtimezone(zone, _utc_naive(start), _utc_naive(end)))
    for event in made:
        calendar.add_component(event)
    return calendar.to_ical()


def _utc_naive(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def events_of(data):
    """Each VEVENT as a sorted tuple of (property, serialised value): what a calendar client reads."""
    parsed = Calendar.from_ical(data)
    return sorted(tuple(sorted((name, value.to_ical() if hasattr(value, "to_ical") else str(value))
                               for name, value in event.property_items(recursive=False)
                               if name not in ("BEGIN", "END")))
                  for event in parsed.walk("VEVENT"))


def _time_per_feed(build, rounds):
    build()
    started = time.perf_counter()
    for _ in range(rounds):
        result = build()
    return (time.perf_counter() - started) / rounds * 1000, result


def feed_baseline(app, rounds=10):
    """For the first personal feed: the whole request's build (queries included) and, from the same
    rows, serialisation alone the app's way and the straightforward way; and whether both parse
    back to the same events."""
    feed = (FeedToken.select(FeedToken, User).join(User).where(FeedToken.scope == "personal")
            .order_by(FeedToken.id).first())
    if feed is None:
        return None
    with app.test_request_context("/calendar/feed/x.ics", base_url="http://127.0.0.1/"):
        window = feeds.current_window()
        whole_ms, ours = _time_per_feed(lambda: feeds.feed_bytes(feed, window, feeds.sources_for(feed)), rounds)
        recorded = recorded_events(feed, window)
        name, description = feeds.feed_title(feed)
        ours_ms, ours = _time_per_feed(lambda: ours_from(recorded, name, description), rounds)
        plain_ms, plain = _time_per_feed(lambda: straightforward_from(recorded, name, description), max(2, rounds // 3))
    events = len(recorded)
    return {"events": events, "whole_feed_ms": round(whole_ms, 2), "ours_ms": round(ours_ms, 2),
            "straightforward_ms": round(plain_ms, 2), "speedup": round(plain_ms / ours_ms, 1) if ours_ms else None,
            "straightforward_ms_per_event": round(plain_ms / max(events, 1), 3),
            "same_events": events_of(ours) == events_of(plain), "bytes": len(ours)}
