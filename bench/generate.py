"""Generate a large organisation quickly: people and teams, two years of
programme with RSVPs, attendance and feedback, cases with their discussions,
modules with enrolments, plans with check-ins, ratings and service measures.

At scale 1: 5,000 employees in 100 teams with 150 coaches, ~20,000 sessions
over 400 series, 300,000 RSVPs, 20,000 cases, 40 modules with 30,000
enrolments, 3,000 plans, 100,000 ratings, 24 months of service measures.
Everything scales linearly. Ids are chosen here (1..n per table), so rows are
written as plain tuples; the same seed gives the same organisation.
"""
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from werkzeug.security import generate_password_hash

from bench import tokens, words
from bench.bulk import Writer
from bench.organisation_parts import (write_cases, write_coaching, write_curriculum, write_feedback, write_measures,
                                       write_pulse)
from learning.accounts.models import Team, TeamCoach, User
from learning.calendars.models import FeedToken
from learning.competencies.models import Competency, CompetencyLevel
from learning.db import db, is_sqlite
from learning.schedule.models import Rsvp, Series, SeriesCompetency, SeriesFacilitator, Session, SessionFeedback

PASSWORD = "bench-password"
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Europe/Madrid")
FEED_EVENTS = 200          # sessions in each feed person's personal calendar
FEED_PEOPLE = 20           # agents with such a feed (the first agents)


@dataclass
class Organisation:
    """What later parts (and the benchmark) need to know of what was written."""
    scale: float
    now: datetime
    admin_id: int = 1
    team_ids: list = field(default_factory=list)
    coach_ids: list = field(default_factory=list)
    agent_ids: list = field(default_factory=list)
    team_of: dict = field(default_factory=dict)            # user id -> team id
    members: dict = field(default_factory=dict)            # team id -> [agent ids]
    coaches_of_team: dict = field(default_factory=dict)    # team id -> [coach ids]
    competency_ids: list = field(default_factory=list)
    series: list = field(default_factory=list)             # (id, kind, team id or None, zone)
    sessions: list = field(default_factory=list)           # (id, series id, starts_at, ends_at)
    sessions_of_series: dict = field(default_factory=dict)
    feed_people: list = field(default_factory=list)
    discussed_cases: list = field(default_factory=list)   # (case id, meetup session id)
    counts: dict = field(default_factory=dict)


def scaled(value, scale, minimum=1):
    return max(minimum, round(value * scale))


def generate(scale, seed=2026, quiet=False, now=None):
    """Write the organisation into the connected, migrated, empty database."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    org = Organisation(scale=scale, now=now)
    writer = Writer(quiet=quiet)
    write_people(org, writer, rng)
    write_competencies(org, writer)
    write_programme(org, writer, rng)
    write_rsvps(org, writer, rng)
    write_cases(org, writer, rng)
    write_curriculum(org, writer, rng)
    write_coaching(org, writer, rng)
    write_measures(org, writer, rng)
    write_feedback(org, writer, rng)
    write_pulse(org, writer, rng)
    write_feed_tokens(org, writer)
    writer.finish()
    if not is_sqlite():
        # The PostgreSQL load skipped the triggers that keep the case search (SQLite's ran):
        # every discussed case's document at once, then the statistics the planner chooses by.
        db.execute_sql("SELECT case_search_sync(0, 2147483647)")
        db.execute_sql("ANALYZE case_search")
    org.counts = dict(writer.counts)
    return org


def write_people(org, writer, rng):
    teams = scaled(100, org.scale, 2)
    coaches = max(teams, scaled(150, org.scale, 2))
    employees = max(scaled(5000, org.scale, 10), coaches + 2 * teams + 1)
    org.team_ids = list(range(1, teams + 1))
    writer.write(Team, ["id", "name", "created_at"],
                 [(t, f"Team {t:03d} {words.TEAM_NAMES[t % len(words.TEAM_NAMES)]}", org.now) for t in org.team_ids])
    password_hash = generate_password_hash(PASSWORD)   # hashed once, shared by every generated person
    rows, team_coaches = [], []
    rows.append((1, "admin@bench.example", "Ada Admin", password_hash, "admin", None, "Europe/Berlin", True, org.now, 1))
    for index in range(coaches):
        user_id = 2 + index
        team_id = org.team_ids[index % teams]
        org.coach_ids.append(user_id)
        org.team_of[user_id] = team_id
        rows.append((user_id, f"coach{index + 1}@bench.example", words.person_name(rng), password_hash, "coach",
                     team_id, rng.choice(ZONES), True, org.now, 1))
        team_coaches.append((len(team_coaches) + 1, team_id, user_id))
        org.coaches_of_team.setdefault(team_id, []).append(user_id)
    first_agent = 2 + coaches
    for index in range(employees - coaches - 1):
        user_id = first_agent + index
        team_id = org.team_ids[index % teams]
        org.agent_ids.append(user_id)
        org.team_of[user_id] = team_id
        org.members.setdefault(team_id, []).append(user_id)
        rows.append((user_id, f"agent{index + 1}@bench.example", words.person_name(rng), password_hash, "agent",
                     team_id, rng.choice(ZONES), True, org.now, 1))
    writer.write(User, ["id", "email", "display_name", "password_hash", "role", "team", "timezone", "active",
                        "created_at", "session_version"], rows)
    writer.write(TeamCoach, ["id", "team", "user"], team_coaches)
    org.feed_people = org.agent_ids[:min(FEED_PEOPLE, len(org.agent_ids))]


def write_competencies(org, writer):
    rows, levels = [], []
    for index, (name, area) in enumerate(words.COMPETENCIES, start=1):
        rows.append((index, name, f"{name}: what it looks like in a conversation.", area, index))
        for level in range(1, 6):
            levels.append((len(levels) + 1, index, level, f"Level {level} of {name.lower()}."))
        org.competency_ids.append(index)
    writer.write(Competency, ["id", "name", "description", "area", "position"], rows)
    writer.write(CompetencyLevel, ["id", "competency", "level", "descriptor"], levels)


def _series_kind(index, count):
    share = index / count
    return "skill" if share < 0.6 else ("case_review" if share < 0.85 else "module")


def write_programme(org, writer, rng):
    count = scaled(400, org.scale, 4)
    per_series = max(2, round(scaled(20000, org.scale, 8) / count))
    weeks_apart = max(1, round(104 / per_series))     # the series spans two years at any scale
    first_day = org.now.date() - timedelta(days=400)
    series_rows, links, facilitators, session_rows = [], [], [], []
    case_review_index = 0
    for series_id in range(1, count + 1):
        kind = _series_kind(series_id - 1, count)
        team_id = None
        if kind == "case_review":
            team_id = org.team_ids[case_review_index % len(org.team_ids)]
            case_review_index += 1
        zone = rng.choice(ZONES)
        day = first_day + timedelta(days=rng.randrange(14))
        local_start = datetime(day.year, day.month, day.day, rng.choice((9, 10, 11, 14, 15, 16)), 0)
        duration = rng.choice((45, 60, 90))
        coach_id = rng.choice(org.coaches_of_team.get(team_id) or org.coach_ids)
        title = words.series_title(kind, series_id, rng)
        org.series.append((series_id, kind, team_id, zone))
        last_start = local_start + timedelta(weeks=weeks_apart * (per_series - 1))
        series_rows.append((series_id, kind, title, words.paragraph(rng, 2), "Training room " + str(series_id % 9 + 1),
                            "", 20, duration, zone, local_start,
                            f"FREQ=WEEKLY;INTERVAL={weeks_apart};COUNT={per_series}", team_id,
                            _utc(last_start, zone) + timedelta(days=1), True, 1, org.now, org.now))
        links.append((series_id, series_id, org.competency_ids[series_id % len(org.competency_ids)]))
        facilitators.append((series_id, series_id, coach_id))
        sessions = org.sessions_of_series.setdefault(series_id, [])
        for occurrence in range(per_series):
            local = local_start + timedelta(weeks=weeks_apart * occurrence)
            starts = _utc(local, zone)
            session_id = len(session_rows) + 1
            ends = starts + timedelta(minutes=duration)
            session_rows.append((session_id, series_id, f"bench-{session_id}@support-development", local, starts,
                                 ends, zone, "", "", coach_id, 20, "scheduled", False, False, 0, org.now))
            org.sessions.append((session_id, series_id, starts, ends))
            sessions.append(session_id)
    writer.write(Series, ["id", "kind", "title", "description", "location", "video_url", "capacity",
                          "duration_minutes", "timezone", "first_start_local", "rrule", "team", "generated_until",
                          "active", "created_by", "created_at", "updated_at"], series_rows)
    writer.write(SeriesCompetency, ["id", "series", "competency"], links)
    writer.write(SeriesFacilitator, ["id", "series", "user"], facilitators)
    writer.write(Session, ["id", "series", "uid", "recurrence_local", "starts_at", "ends_at", "timezone",
                           "location", "video_url", "facilitator", "capacity", "status", "rsvp_closed", "moved",
                           "sequence", "changed_at"], session_rows)


def _utc(local, zone):
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc).replace(tzinfo=None)


def _attendance(rng):
    roll = rng.random()
    return "attended" if roll < 0.85 else ("no_show" if roll < 0.95 else "excused")


def write_rsvps(org, writer, rng):
    """About 15 places per session (capacity 20: the rest wait), attendance and feedback for the past;
    each feed person holds a place at FEED_EVENTS sessions inside the calendar window."""
    kind_of = {s[0]: (s[1], s[2]) for s in org.series}
    target = scaled(300000, org.scale, 20)
    per_session = target / max(1, len(org.sessions))
    low, high = max(1, round(per_session * 0.5)), max(1, round(per_session * 1.5))
    feed_sessions = _feed_sessions(org)
    feed_set = set(org.feed_people)
    rsvps, feedback = [], []
    for session_id, series_id, starts, ends in org.sessions:
        kind, team_id = kind_of[series_id]
        pool = org.members.get(team_id) if kind == "case_review" else org.agent_ids
        # feed people first in the queue: they hold a seat, so every one of their FEED_EVENTS is in the feed
        people = feed_sessions.get(session_id, []) + [
            p for p in rng.sample(pool, min(len(pool), rng.randint(low, high))) if p not in feed_set]
        past = ends < org.now
        for queue, user_id in enumerate(people, start=1):
            status = "going" if queue <= 20 else ("withdrawn" if past else "waitlisted")
            attendance = _attendance(rng) if past and status == "going" else None
            when = starts - timedelta(days=rng.randint(1, 20))
            rsvps.append((len(rsvps) + 1, session_id, user_id, status, queue, False, attendance,
                          ends if attendance else None, 0, when, when))
            if attendance == "attended" and rng.random() < 0.35:
                feedback.append((len(feedback) + 1, session_id, user_id, rng.choice((3, 4, 4, 5, 5)),
                                 words.sentence(rng), ends))
    writer.write(Rsvp, ["id", "session", "user", "status", "queue_number", "walk_in", "attendance",
                        "attendance_recorded_at", "sequence", "created_at", "updated_at"], rsvps)
    writer.write(SessionFeedback, ["id", "session", "user", "rating", "comment", "created_at"], feedback)


def _feed_sessions(org):
    """{session id: [feed people]}: each feed person's FEED_EVENTS sessions in the feed window."""
    today = datetime(org.now.year, org.now.month, org.now.day)
    window = [s for s in org.sessions if today - timedelta(days=80) <= s[2] < today + timedelta(days=300)]
    chosen = {}
    for index, person in enumerate(org.feed_people):
        rng = random.Random(index)
        for session in rng.sample(window, min(FEED_EVENTS, len(window))):
            chosen.setdefault(session[0], []).append(person)
    return chosen


def write_feed_tokens(org, writer):
    """A personal feed for each feed person and a series feed for the admin (tokens as the app makes them)."""
    rows = []
    for user_id in org.feed_people:
        rows.append(tokens.feed_row(len(rows) + 1, user_id, "personal", "", org.now))
    first_skill = next(s[0] for s in org.series if s[1] == "skill")
    rows.append(tokens.feed_row(len(rows) + 1, org.admin_id, "series", str(first_skill), org.now))
    rows.append(tokens.feed_row(len(rows) + 1, org.admin_id, "kind", "module", org.now))
    writer.write(FeedToken, ["id", "user", "scope", "scope_key", "nonce", "token_hash", "created_at",
                             "regenerated_at"], rows)

