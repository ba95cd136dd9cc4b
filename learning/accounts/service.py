"""Rules about people: creating and changing users, teams, who coaches whom."""
import secrets

import peewee as pw
from flask import current_app, has_app_context

from learning.accounts import throttle
from learning.db import db, utcnow
from learning.accounts.models import ROLES, Team, TeamCoach, User
from learning.accounts.signals import account_changed, people_created, person_left
from learning.refusals import Refused
from learning.wording import count_of

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "1234567890", "12345678910", "qwertyuiop",
    "letmein123", "welcome123", "iloveyou12", "administrator", "changeme123", "passw0rd123",
})


def normalise_email(email):
    return (email or "").strip().lower()


def password_problem(password, email=""):
    """Why a password is refused, or None when it is acceptable."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password.lower() in COMMON_PASSWORDS:
        return "This password is too common; choose another."
    if email and normalise_email(password) == normalise_email(email):
        return "Do not use your e-mail address as your password."
    return None


def find_user_by_email(email):
    return User.get_or_none(User.email == normalise_email(email))


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def provider_only(user):
    """Does this person sign in through the organisation's OpenID provider only (OIDC_ONLY;
    admins keep their password so a provider outage cannot lock everyone out)? Outside an app
    (a script or test calling services) there is no provider."""
    if not has_app_context():
        return False
    config = current_app.config
    return bool(config.get("OIDC_ONLY") and config.get("OIDC_ISSUER")) and not user.is_admin


@db.atomic()
def sign_in_attempt(email, password, address):
    """(user, None) on success; (None, message) when refused or throttled."""
    email = normalise_email(email)
    minutes = throttle.minutes_blocked(email, address or "")
    if minutes:
        return None, f"Too many failed sign-ins. Please wait {count_of(minutes, 'minute')} and try again."
    user = authenticate(email, password)
    if user is None:
        throttle.record_failure(email, address)
        return None, "That e-mail and password do not match an active account."
    throttle.clear_failures(email, address)
    if provider_only(user):
        return None, f"Please sign in with {current_app.config.get('OIDC_NAME') or 'single sign-on'}."
    return user, None


@db.atomic()
def create_user(email, display_name, password, role="agent", team=None, timezone="UTC", check_policy=True):
    email = normalise_email(email)
    if role not in ROLES:
        raise Refused("Unknown role.", "role")
    if find_user_by_email(email):
        raise Refused("A person with this e-mail address already exists.", "email")
    problem = password_problem(password, email) if check_policy else None
    if problem:
        raise Refused(problem, "password")
    user = User(email=email, display_name=display_name.strip(), role=role, team=team, timezone=timezone)
    user.set_password(password)
    try:
        with db.atomic():
            user.save(force_insert=True)
    except pw.IntegrityError:
        raise Refused("A person with this e-mail address already exists.", "email")
    return user


@db.atomic()
def add_person(actor, email, display_name, password=None, role="agent", team=None, timezone="UTC"):
    """An admin adds someone by hand. Without a password from the admin the account has an
    unguessable one; either way `people_created` sends them an invitation to choose their own."""
    user = create_user(email, display_name, password or secrets.token_urlsafe(32), role=role, team=team,
                       timezone=timezone, check_policy=bool(password))
    people_created.send(actor, user_ids=[user.id])
    return user


@db.atomic()
def change_password(user, current, new):
    if not user.check_password(current or ""):
        raise Refused("Your current password is not right.", "current_password")
    problem = password_problem(new, user.email)
    if problem:
        raise Refused(problem, "new_password")
    user.set_password(new)
    user.save()
    return end_sessions(user)


@db.atomic()
def end_sessions(user):
    """Sign `user` out of every session and remember-me cookie, on every device: the
    session version in each of them (User.get_id) no longer matches. An UPDATE that adds
    one, so two at once both count and no stale copy of the row can put it back."""
    User.update(session_version=User.session_version + 1).where(User.id == user.id).execute()
    user.session_version = User.select(User.session_version).where(User.id == user.id).scalar()
    return user


@db.atomic()
def sign_out_everywhere(user, actor):
    """A person's own or an admin's "sign out everywhere"."""
    _announce(actor, "user.signed-out-everywhere", user, user.display_name)
    return end_sessions(user)


@db.atomic()
def set_active(user, active, actor=None, plans_to=None):
    """Deactivate (a leaver) or reactivate a person. A leaver is signed out everywhere, their
    feeds stop (they serve active people only), and `person_left` lets the packages holding
    their future places and open plans let go: plans go to `plans_to` (a coach) or close."""
    if user.active == active:
        return user
    if plans_to is not None and plans_to.id == user.id:
        raise Refused("Choose another coach to take over their open plans.", "plans_to")
    _announce(actor, "user.reactivated" if active else "user.deactivated", user, user.display_name)
    user.active = active
    user.save()
    if not active:
        end_sessions(user)
        person_left.send(user, actor=actor, plans_to=plans_to)
    return user


def check_plans_to(coach_id):
    """The coach who takes over leavers' open plans, or None to close them."""
    if coach_id is None:
        return None
    coach = User.get_or_none(User.id == coach_id, User.active == True, User.role.in_(["coach", "admin"]))  # noqa: E712
    if coach is None:
        raise Refused("Choose an active coach to take over open plans, or close them.", "plans_to")
    return coach


def announce_import_change(actor, user_id, name, changes):
    """The audit lines of an import's change of someone's role or status."""
    person = User(id=user_id, display_name=name)
    if "role" in changes:
        old, new = changes["role"]
        _announce(actor, "user.role-changed", person, f"{name}: {old} → {new} (import)")
    if "active" in changes:
        _announce(actor, "user.reactivated", person, f"{name} (import)")


@db.atomic()
def update_person(person, acting_admin, display_name, email, timezone, role, team_id, active, plans_to=None):
    """An admin's edit of someone's account; an admin cannot demote or deactivate themselves.
    Deactivating makes them a leaver (`set_active`), their open plans going to `plans_to`."""
    email = normalise_email(email)
    if role not in ROLES:
        raise Refused("Unknown role.", "role")
    other = find_user_by_email(email)
    if other and other.id != person.id:
        raise Refused("A person with this e-mail address already exists.", "email")
    if role != "admin" or not active:
        _refuse_own_demotion(person, acting_admin)
    if team_id is not None and not Team.select().where(Team.id == team_id).exists():
        raise Refused("Choose a team from the list.", "team")
    if person.role != role:
        _announce(acting_admin, "user.role-changed", person, f"{person.display_name}: {person.role} → {role}")
    person.display_name, person.email, person.timezone = display_name.strip(), email, timezone
    person.role, person.team = role, team_id
    person.save()
    return set_active(person, active, acting_admin, plans_to=plans_to)


@db.atomic()
def deactivate(person, acting_admin, plans_to=None):
    """An admin marks someone a leaver (`set_active`): never themselves."""
    _refuse_own_demotion(person, acting_admin)
    return set_active(person, False, acting_admin, plans_to=plans_to)


def _refuse_own_demotion(person, acting_admin):
    if person.id == acting_admin.id:
        raise Refused("You cannot remove your own admin role or deactivate yourself.", "role")


@db.atomic()
def set_employee_id(person, employee_id):
    """The HR list's id of a person (empty: not known), unique where given."""
    employee_id = (employee_id or "").strip() or None
    if employee_id and User.select().where(User.employee_id == employee_id, User.id != person.id).exists():
        raise Refused("Another person has this employee id.", "employee_id")
    person.employee_id = employee_id
    try:
        with db.atomic():
            User.update(employee_id=employee_id).where(User.id == person.id).execute()
    except pw.IntegrityError:
        raise Refused("Another person has this employee id.", "employee_id") from None
    return person


def _announce(actor, action, user, summary):
    account_changed.send(user, actor=actor, action=action, summary=summary)


@db.atomic()
def save_team(team, name, coach_ids=()):
    """Create (team is None) or rename a team and set its coaches."""
    name = name.strip()
    clash = Team.get_or_none(Team.name == name)
    if clash and (team is None or clash.id != team.id):
        raise Refused("A team with this name already exists.", "name")
    if team is None:
        team = Team.create(name=name)
    else:
        team.name = name
        team.save()
    set_team_coaches(team, coach_ids)
    return team


def team_sizes(team_ids):
    """{team_id: number of active members} of these teams in one query."""
    query = (User.select(User.team, pw.fn.COUNT(User.id).alias("n"))
             .where(User.active == True, User.team.in_(list(team_ids)))  # noqa: E712
             .group_by(User.team))
    return {row.team_id: row.n for row in query}


@db.atomic()
def set_team_coaches(team, coach_ids):
    TeamCoach.delete().where(TeamCoach.team == team).execute()
    rows = [{"team": team.id, "user": uid} for uid in dict.fromkeys(coach_ids or ())]
    if rows:
        TeamCoach.insert_many(rows).execute()


def coached_team_ids(user):
    """Ids of the teams `user` coaches (admins coach no team by default)."""
    return [team_id for (team_id,) in TeamCoach.select(TeamCoach.team).where(TeamCoach.user == user.id)
            .order_by(TeamCoach.team).tuples()]


def coaches_of(person):
    """Active coaches of the person's team."""
    if person.team_id is None:
        return []
    return list(
        User.select().join(TeamCoach, on=(TeamCoach.user == User.id))
        .where(TeamCoach.team == person.team_id, User.active == True)  # noqa: E712
        .order_by(User.display_name)
    )


def is_coach_of(coach, person):
    """Does `coach` coach the team `person` belongs to?"""
    if person.team_id is None or not coach.is_coach:
        return False
    return TeamCoach.select().where(TeamCoach.team == person.team_id, TeamCoach.user == coach).exists()


def team_coach_map(team_ids):
    """{team_id: [active coach User, ...]} in one query (a coach who left coaches no more)."""
    result = {tid: [] for tid in team_ids}
    query = (TeamCoach.select(TeamCoach, User).join(User)
             .where(TeamCoach.team.in_(list(team_ids)), User.active == True)  # noqa: E712
             .order_by(User.display_name))
    for link in query:
        result[link.team_id].append(link.user)
    return result


def active_coaches():
    """Everyone who may coach (coaches and admins), by name."""
    return list(User.select().where(User.role.in_(["coach", "admin"]), User.active == True)  # noqa: E712
                .order_by(User.display_name))


def record_sign_in(user):
    """When a person last signed in, however they did (the people list filters by it)."""
    User.update(last_sign_in_at=utcnow()).where(User.id == user.id).execute()


def coaches_of_team(team):
    return list(User.select().join(TeamCoach, on=(TeamCoach.user == User.id)).where(TeamCoach.team == team))


def team_and_chosen_people(candidates, team_ids, team=None, user_ids=(), among=None):
    """The people a coach acts on at once: `team`'s members among `candidates` (a query of the people
    they may choose, in order), then the chosen `user_ids` not among them, then the candidates in
    `among` (a query of user ids, e.g. a cohort's members; others in it are left out). `team_ids`: the
    teams they may choose. Refuses a team or a person outside those, or nobody at all."""
    people = []
    if team is not None:
        if team.id not in set(team_ids):
            raise Refused("Choose one of the teams you coach.", "team_id")
        people = list(candidates.where(User.team == team))
    ids = sorted(set(user_ids))
    chosen = list(candidates.where(User.id.in_(ids))) if ids else []
    if len(chosen) != len(ids):
        raise Refused("Choose people from the teams you coach.", "user_ids")
    grouped = list(candidates.where(User.id.in_(among))) if among is not None else []
    if among is not None and not grouped:
        raise Refused("Nobody enrolled in this cohort is in the teams you coach.", "cohort_id")
    seen = {u.id for u in people}
    for person in chosen + grouped:
        if person.id not in seen:
            seen.add(person.id)
            people.append(person)
    if not people:
        raise Refused("Choose a team or people.", "team_id")
    return people
