"""Importing people from the HR list: preview, then write exactly what the preview showed.

A line is matched to a stored person by `employee_id` when it has one, else by e-mail
(stored lower-cased, so case does not matter). `plan_people` says who would be created,
who updated (with each changed field), who is unchanged, which team coaches would be
added and, when syncing, which active people missing from the file would leave; any
problem on any line means nothing is written. The web page keeps a previewed file under
a random token (`stage`) and `confirm` writes it only if the plan is still the one shown;
the command line plans and writes in one transaction (`import_people`).

New people get no password: the `people_created` signal carries their ids for whatever
sends them their invitation. Leavers go through `service.set_active`, so they lose
their sessions, feeds, future places and open plans as a leaver by hand does.
"""
import hashlib
import json
from dataclasses import dataclass, field

import peewee as pw

from learning import staged_uploads
from learning.accounts import service
from learning.accounts.models import PendingPeopleImport, Team, TeamCoach, User
from learning.accounts.people_file import PeopleFile, read_people, read_people_bytes
from learning.accounts.signals import people_created
from learning.db import db, utcnow
from learning.refusals import Refused

BATCH = 500
# What a line may change of a stored person, with the label the preview shows.
FIELDS = {"display_name": "name", "email": "e-mail", "role": "role", "team": "team", "timezone": "time zone",
          "employee_id": "employee id", "start_date": "start date", "active": "status"}
STORED = (User.id, User.email, User.employee_id, User.display_name, User.role, User.team, User.timezone,
          User.start_date, User.active)


def shown(value):
    """A stored or imported value as the preview shows it."""
    if value is True or value is False:
        return "active" if value else "deactivated"
    return "(none)" if value in (None, "") else str(value)


@dataclass
class Options:
    sync: bool = False             # people missing from the file leave
    create_teams: bool = False     # teams the file names and nobody created yet are created
    plans_to: int = None           # a leaver's open coaching plans go to this coach (None: closed)

    def as_json(self):
        return json.dumps([self.sync, self.create_teams, self.plans_to])

    @classmethod
    def from_json(cls, text):
        return cls(*json.loads(text))


@dataclass
class Update:
    line: object                   # people_file.Line
    user_id: int
    changes: dict                  # field name: (stored value, value in the file), team names for team


@dataclass
class PeoplePlan:
    file: PeopleFile
    options: Options
    create: list = field(default_factory=list)         # Line
    update: list = field(default_factory=list)         # Update
    unchanged: int = 0
    leavers: list = field(default_factory=list)        # (id, name, e-mail)
    new_teams: list = field(default_factory=list)      # names
    coach_links: list = field(default_factory=list)    # (team name, coach e-mail)

    @property
    def problems(self):
        return self.file.problems

    @property
    def ok(self):
        return not self.file.problems

    @property
    def digest(self):
        """Equal plans write the same changes over the same people."""
        content = [[list(map(str, line)) for line in self.create],
                   [[u.user_id, sorted((k, str(v)) for k, v in u.changes.items())] for u in self.update],
                   self.leavers, self.new_teams, self.coach_links, self.options.as_json()]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()


@dataclass
class Stored:
    """What the plan compares the file with, read in a few queries."""
    by_email: dict
    by_employee_id: dict
    teams: dict                   # lower-cased name: (id, name)
    team_names: dict              # id: name
    links: set                    # (team id, coach id)

    @classmethod
    def read(cls):
        people = [dict(zip([f.name for f in STORED], row)) for row in User.select(*STORED).tuples()]
        teams = list(Team.select(Team.id, Team.name).tuples())
        return cls(by_email={p["email"]: p for p in people},
                   by_employee_id={p["employee_id"]: p for p in people if p["employee_id"]},
                   teams={name.lower(): (team_id, name) for team_id, name in teams},
                   team_names=dict(teams),
                   links=set(TeamCoach.select(TeamCoach.team, TeamCoach.user).tuples()))


def plan_people(people_file, options, actor=None):
    """Compare a checked file with the stored people; problems found here join the file's
    (a file with problems is still compared, so that every problem shows at once)."""
    plan = PeoplePlan(people_file, options)
    if not people_file.readable:
        return plan
    stored = Stored.read()
    matched = {}
    for line in people_file.lines:
        person = _match(line, stored, people_file)
        if person is not None and matched.setdefault(person["id"], line.number) != line.number:
            people_file.refuse(line.number, f"Line {matched[person['id']]} is about the same person "
                                            f"({person['display_name']}): keep one of the two.", "email")
            continue
        _plan_line(plan, line, person, stored, actor)
    _plan_teams_and_coaches(plan, stored)
    if options.sync:
        _plan_leavers(plan, stored, matched, actor)
    people_file.problems.sort(key=lambda problem: problem.line)
    return plan


def _match(line, stored, found):
    """The stored person a line is about, or None for a new one (noting clashes)."""
    by_id = stored.by_employee_id.get(line.employee_id) if line.employee_id else None
    by_email = stored.by_email.get(line.email)
    if by_id is not None:
        if by_email is not None and by_email["id"] != by_id["id"]:
            found.refuse(line.number, f"{line.email} belongs to another person ({by_email['display_name']}).",
                         "email")
        return by_id
    if by_email is not None and line.employee_id and by_email["employee_id"]:
        found.refuse(line.number, f"{line.email} belongs to the person with employee id {by_email['employee_id']}.",
                     "employee_id")
    return by_email


def _plan_line(plan, line, person, stored, actor):
    if person is None:
        plan.create.append(line)
        return
    if actor is not None and person["id"] == actor.id and (line.role != "admin"):
        plan.file.refuse(line.number, "You cannot remove your own admin role.", "role")
    team = stored.teams.get(line.team.lower(), (None, line.team))[1] if line.team else None
    wanted = {"display_name": line.name, "email": line.email, "role": line.role, "team": team,
              "timezone": line.timezone, "active": True,
              "employee_id": line.employee_id or person["employee_id"],
              "start_date": line.start_date or person["start_date"]}
    now = dict(person, team=stored.team_names.get(person["team"]))
    changes = {name: (now[name], value) for name, value in wanted.items() if now[name] != value}
    if changes:
        plan.update.append(Update(line, person["id"], changes))
    else:
        plan.unchanged += 1


def _plan_teams_and_coaches(plan, stored):
    """Unknown teams and coaches (of every line, refused ones too) and the coach links to add."""
    named = [(line.number, line.team, line.coach) for line in plan.file.lines] + plan.file.teams_named
    missing = {}
    for number, team, _ in named:
        if team and team.lower() not in stored.teams:
            missing.setdefault(team.lower(), (number, team))
    if missing and not plan.options.create_teams:
        for number, team, _ in named:
            if team and team.lower() in missing:
                plan.file.refuse(number, f"Unknown team \u201c{team}\u201d: tick \u201ccreate missing teams\u201d "
                                         f"or add the team first.", "team")
    plan.new_teams = sorted(name for _, name in missing.values())
    roles = {line.email: line.role for line in plan.file.lines}
    wanted = {}
    for number, team_name, email in named:
        if not email:
            continue
        coach = stored.by_email.get(email)
        role = roles.get(email) or (coach["role"] if coach and coach["active"] else None)
        if role not in ("coach", "admin"):
            plan.file.refuse(number, f"Unknown coach {email}: no coach or admin has this e-mail, "
                                     f"in the file or stored.", "coach")
            continue
        team = stored.teams.get(team_name.lower())
        if team is None or coach is None or (team[0], coach["id"]) not in stored.links:
            wanted.setdefault((team_name.lower(), email), (team[1] if team else team_name, email))
    plan.coach_links = sorted(wanted.values())


def _plan_leavers(plan, stored, matched, actor):
    leavers = [p for p in stored.by_email.values()
               if p["active"] and p["id"] not in matched and (actor is None or p["id"] != actor.id)]
    plan.leavers = sorted(((p["id"], p["display_name"], p["email"]) for p in leavers), key=lambda p: p[1].lower())
    admins_left = {p["id"] for p in stored.by_email.values() if p["active"] and p["role"] == "admin"}
    admins_left -= {p[0] for p in plan.leavers}
    admins_left -= {u.user_id for u in plan.update if u.changes.get("role", (None, "admin"))[1] != "admin"}
    if not admins_left and not any(line.role == "admin" for line in plan.file.lines):
        plan.file.refuse(0, "With sync this file would leave no active admin: add at least one admin to it.")


# --- writing ----------------------------------------------------------------------

@dataclass
class Outcome:
    created: int
    updated: int
    unchanged: int
    left: int
    new_teams: int
    coach_links: int
    created_ids: list


def write(plan, actor=None, progress=None):
    """Write a valid plan in one transaction. `progress(count)` is told of each batch done.
    Refused, with nothing written, when someone else wrote one of these people (or teams)
    between the plan and the write: the unique e-mail, employee id or team name says so."""
    try:
        return _write(plan, actor, progress or (lambda count: None))
    except pw.IntegrityError:
        raise Refused("Someone else added or changed some of these people at the same moment. Nothing was "
                      "imported; upload the file again to see what it changes now.") from None


@db.atomic()
def _write(plan, actor, advance):
    plans_to = service.check_plans_to(plan.options.plans_to)
    for name in plan.new_teams:
        Team.create(name=name)
    teams = {name.lower(): team_id for team_id, name in Team.select(Team.id, Team.name).tuples()}
    created = _insert_people(plan.create, teams, advance)
    _update_people(plan.update, teams, actor, advance)
    _add_coach_links(plan.coach_links, teams)
    for user in User.select().where(User.id.in_([leaver[0] for leaver in plan.leavers])).order_by(User.id):
        service.set_active(user, False, actor, plans_to=plans_to)
        advance(1)
    if created:
        people_created.send(actor, user_ids=created)
    return Outcome(len(plan.create), len(plan.update), plan.unchanged, len(plan.leavers), len(plan.new_teams),
                   len(plan.coach_links), created)


def _insert_people(lines, teams, advance):
    """Insert new people without a password (an invitation lets them choose one). Returns their ids."""
    ids = []
    for start in range(0, len(lines), BATCH):
        batch = lines[start:start + BATCH]
        User.insert_many([
            {"email": line.email, "display_name": line.name, "password_hash": "", "role": line.role,
             "team": teams.get(line.team.lower()) if line.team else None, "timezone": line.timezone,
             "employee_id": line.employee_id, "start_date": line.start_date, "active": True,
             "created_at": utcnow(), "session_version": 1} for line in batch]).execute()
        ids += [row for (row,) in User.select(User.id).where(User.email.in_([line.email for line in batch]))
                .order_by(User.id).tuples()]
        advance(len(batch))
    return ids


def _update_people(updates, teams, actor, advance):
    """Each changed field for every person at once, a batch per statement."""
    for name in FIELDS:
        values = {u.user_id: u.changes[name][1] for u in updates if name in u.changes}
        if name == "team":
            values = {uid: teams.get(team.lower()) if team else None for uid, team in values.items()}
        column = getattr(User, name)
        cleared = [uid for uid, value in values.items() if value is None]
        if cleared:   # apart: a CASE of NULLs alone has no type on PostgreSQL
            User.update({column: None}).where(User.id.in_(cleared)).execute()
        ids = [uid for uid, value in values.items() if value is not None]
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            cases = [(uid, column.db_value(values[uid])) for uid in batch]
            User.update({column: pw.Case(User.id, cases)}).where(User.id.in_(batch)).execute()
    for update in updates:
        if "role" in update.changes or "active" in update.changes:
            service.announce_import_change(actor, update.user_id, update.line.name, update.changes)
    advance(len(updates))


def _add_coach_links(links, teams):
    coaches = dict(User.select(User.email, User.id).where(User.email.in_([email for _, email in links])).tuples())
    rows = [{"team": teams[team.lower()], "user": coaches[email]} for team, email in links]
    for start in range(0, len(rows), BATCH):
        TeamCoach.insert_many(rows[start:start + BATCH]).on_conflict_ignore().execute()


def import_people(text, options, actor=None, progress=None):
    """Check and write a file in one step (the command line and tests): the plan, and the
    Outcome when it was valid (None when it had problems or `dry_run`)."""
    with db.atomic():
        plan = plan_people(read_people(text), options, actor)
        return plan, (write(plan, actor, progress) if plan.ok else None)


# --- the preview kept until confirmed ------------------------------------------------

def stage(data, file_name, options, user):
    """Plan an upload (bytes); when valid, keep it for `user` to confirm. Returns (plan, token or None)."""
    people_file = read_people_bytes(data)
    plan = plan_people(people_file, options, user)
    if not plan.ok:
        return plan, None
    token = staged_uploads.keep(PendingPeopleImport, user, file_name=(file_name or "")[:200],
                                content=data.decode("utf-8-sig"), options=options.as_json(), digest=plan.digest)
    return plan, token


def pending_for(token, user):
    """The upload `user` previewed under `token`, or None."""
    return staged_uploads.pending_for(PendingPeopleImport, token, user)


@db.atomic()
def confirm(pending, user):
    """Write the previewed upload as its preview showed it; refused when the stored people
    changed since (another import or an edit came first)."""
    locked = staged_uploads.claim(pending)
    plan = plan_people(read_people(locked.content), Options.from_json(locked.options), user)
    if not plan.ok or plan.digest != locked.digest:
        raise Refused("The people stored changed since this preview (another import or an edit came first). "
                      "Nothing was imported; upload the file again to see what it changes now.")
    outcome = write(plan, user)
    locked.delete_instance()
    return outcome
