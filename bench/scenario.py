"""What the benchmark asks for, chosen from the generated organisation: the
people it signs in as (a spread of agents, coaches of teams of ~50, the
admin), and for each measured page its path per person.

A Page holds (user id, method, path, form, headers) tuples; the load client
spreads them over its connections, the query counter uses the first.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from peewee import fn

from learning.accounts.models import ApiToken, TeamCoach, User
from learning.calendars.models import FeedToken
from learning.coaching.models import Plan
from learning.db import utcnow
from learning.schedule.models import Rsvp, Series, Session
from bench import api_requests, tokens
from bench.words import TOPICS

AGENTS = 40
COACHES = 10
FEEDS = 4


@dataclass
class Page:
    name: str
    requests: list = field(default_factory=list)    # (user id or None, method, path, form dict, headers)
    expected: tuple = (200,)
    warmup: float = 0.5                               # seconds of requests before measuring


def people():
    """(agent ids, [(coach id, team id)], admin id): agents spread over the whole organisation."""
    agent_ids = [u.id for u in User.select(User.id).where(User.role == "agent").order_by(User.id)]
    step = max(1, len(agent_ids) // (AGENTS * 4))
    planned = {p.employee_id for p in Plan.select(Plan.employee)}
    with_plan = [a for a in agent_ids[:AGENTS] if a in planned]
    agents = list(dict.fromkeys(with_plan + agent_ids[::step][:AGENTS]))
    coaches = [(link.user_id, link.team_id) for link in
               TeamCoach.select().join(User).where(User.role == "coach").order_by(TeamCoach.id).limit(COACHES)]
    admin = User.select(User.id).where(User.role == "admin").order_by(User.id).first().id
    return agents, coaches, admin


def future_sessions(limit=40):
    """Upcoming skill sessions with RSVP open, nearly full (so a place may wait or be promoted)."""
    soon = utcnow() + timedelta(days=2)
    return [s.id for s in Session.select(Session.id).join(Series)
            .where(Series.kind == "skill", Session.starts_at > soon, Session.status == "scheduled",
                   Session.rsvp_closed == False)  # noqa: E712
            .order_by(Session.starts_at).limit(limit)]


def feed_paths():
    """{scope: [(owner id, path)]} for the generated feed tokens."""
    paths = {}
    for feed in FeedToken.select().order_by(FeedToken.id):
        paths.setdefault(feed.scope, []).append(
            (feed.user_id, f"/calendar/feed/{tokens.token_for(feed.nonce)}.ics"))
    return paths


# The admin's people list: a deep page of everyone, a filter, a search and a last sign-in filter.
PEOPLE_LIST_PATHS = ("/admin/users?page=40", "/admin/users?role=agent&status=active&page=3",
                     "/admin/users?q=an", "/admin/users?signed_in=not30&page=2")


def api_tokens(user_ids):
    """{user id: "Bearer ..." header} for these people, their token rows written when missing."""
    now = utcnow()
    # Read and write (the case creation page writes): a row an earlier run wrote read-only is raised.
    (ApiToken.insert_many([tokens.api_token_row(user_id, now) for user_id in user_ids])
     .on_conflict(conflict_target=[ApiToken.token_hash], update={ApiToken.scope: "write"}).execute())
    return {user_id: {"Authorization": f"Bearer {tokens.api_secret_for(user_id)}"} for user_id in user_ids}


def pages(concurrency=4):
    agents, coaches, admin = people()
    bearer = api_tokens(agents)
    sessions = future_sessions()
    plans = {p.employee_id: p.id for p in Plan.select(Plan.id, Plan.employee).where(Plan.employee.in_(agents))}
    feeds = feed_paths()
    each = lambda paths: [(user, "GET", path, None, {}) for user, path in paths]  # noqa: E731
    result = [
        Page("floor", [(None, "GET", "/bench/floor", None, {})]),
        Page("dashboard", each((a, "/") for a in agents)),
        Page("upcoming sessions", each((a, "/sessions") for a in agents)),
        Page("session page", each((a, f"/sessions/{sessions[i % len(sessions)]}") for i, a in enumerate(agents))),
        Page("my schedule", each((a, "/my/schedule") for a in agents)),
        Page("case queue", each((c, "/cases?show=queue") for c, _ in coaches)),
        Page("case library search", each((a, f"/library?q={TOPICS[i % len(TOPICS)]}") for i, a in enumerate(agents))),
        # Two words, each in about half the cases: the newest matches are further apart.
        Page("case library search, two words", each((a, f"/library?q={two_topics(i)}") for i, a in enumerate(agents))),
        Page("module catalogue", each((a, "/modules") for a in agents)),
        Page("plan page", each((a, f"/plans/{plans[a]}") for a in agents if a in plans)),
        Page("coaching overview", each((c, "/coaching") for c, _ in coaches)),
        Page("notification centre", each((a, "/notifications") for a in agents)),
        Page("my progress", each((a, "/progress") for a in agents)),
        Page("team progress", each((c, f"/progress/team/{t}") for c, t in coaches)),
        Page("who hasn't", each((c, f"/teams/{t}/who-hasnt?criterion={('attendance', 'overdue')[i % 2]}")
                                for i, (c, t) in enumerate(coaches))),
        Page("ratings grid", each((c, f"/coaching/teams/{t}/ratings") for c, t in coaches)),
        Page("programme progress", each([(admin, "/progress/programme")])),
        Page("people list", each((admin, path) for path in PEOPLE_LIST_PATHS)),
        Page("operations", each([(c, "/operations") for c, _ in coaches] + [(admin, "/operations")])),
        Page("team wellbeing", each((c, f"/wellbeing/team/{t}") for c, t in coaches)),
        # A few feeds, as their calendar apps poll them: unconditionally (the whole body is built
        # each time) and with the ETag of the last answer (the aggregates only, then 304).
        Page("personal feed", each(feeds.get("personal", [])[:FEEDS]), warmup=4),
        Page("personal feed 304", [(u, "GET", p, None, {"If-None-Match": "ETAG"})
                                   for u, p in feeds.get("personal", [])[:FEEDS]], expected=(304,)),
        Page("programme feed", each(feeds.get("series", []))),
        Page("programme feed (all module sessions)", each(feeds.get("kind", []))),
        Page("rsvp (write)", rsvp_requests(agents[:concurrency], sessions), expected=(302,)),
        # The API authenticates by token, not by the signed-in cookie (user None: no cookie is sent).
        Page("API session list", [(None, "GET", "/api/v1/sessions?limit=25", None, bearer[a]) for a in agents]),
        Page("API case creation", api_requests.case_requests(agents[:concurrency], bearer), expected=(201,)),
    ]
    return [page for page in result if page.requests]


def two_topics(index):
    return f"{TOPICS[index % len(TOPICS)]}+{TOPICS[(index + 5) % len(TOPICS)]}"


def rsvp_requests(writers, sessions):
    """Each writer takes and gives up places at several upcoming sessions, in order, on its own connection."""
    per_writer = []
    for index, user in enumerate(writers):
        mine = [sessions[(index + k) % len(sessions)] for k in range(5)]
        actions = []
        for session_id in mine:
            actions.append((user, "POST", f"/sessions/{session_id}/rsvp", {"action": "rsvp"}, {}))
            actions.append((user, "POST", f"/sessions/{session_id}/rsvp", {"action": "withdraw"}, {}))
        per_writer.append(actions)
    # interleave so that request i belongs to writer i % len(writers)
    return [per_writer[w][k] for k in range(len(per_writer[0])) for w in range(len(per_writer))]


def overbooked_sessions():
    """(session id, capacity, going) for sessions holding more going places than seats."""
    rows = (Session.select(Session.id, Session.capacity, fn.COUNT(Rsvp.id).alias("going"))
            .join(Rsvp).where(Rsvp.status == "going", Session.capacity.is_null(False))
            .group_by(Session.id, Session.capacity)
            .having(fn.COUNT(Rsvp.id) > Session.capacity))
    return [(row.id, row.capacity, row.going) for row in rows]
