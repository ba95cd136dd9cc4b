"""Rules about people: creating and changing users, teams, who coaches whom."""
import peewee as pw

from learning.accounts import throttle
from learning.db import db
from learning.accounts.models import ROLES, Team, TeamCoach, User
from learning.accounts.signals import account_changed
from learning.refusals import Refused

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


@db.atomic()
def sign_in_attempt(email, password, address):
    """(user, None) on success; (None, message) when refused or throttled."""
    email = normalise_email(email)
    minutes = throttle.minutes_blocked(email, address or "")
    if minutes:
        return None, f"Too many failed sign-ins. Please wait {minutes} minute(s) and try again."
    user = authenticate(email, password)
    if user is None:
        throttle.record_failure(email, address)
        return None, "That e-mail and password do not match an active account."
    throttle.clear_failures(email, address)
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
def set_active(user, active, actor=None):
    if user.active != active:
        _announce(actor, "user.reactivated" if active else "user.deactivated", user, user.display_name)
    user.active = active
    user.save()
    if not active:
        end_sessions(user)
    return user


@db.atomic()
def update_person(person, acting_admin, display_name, email, timezone, role, team_id, active):
    """An admin's edit of someone's account; an admin cannot demote or deactivate themselves."""
    email = normalise_email(email)
    if role not in ROLES:
        raise Refused("Unknown role.", "role")
    other = find_user_by_email(email)
    if other and other.id != person.id:
        raise Refused("A person with this e-mail address already exists.", "email")
    if person.id == acting_admin.id and (role != "admin" or not active):
        raise Refused("You cannot remove your own admin role or deactivate yourself.", "role")
    if team_id is not None and not Team.select().where(Team.id == team_id).exists():
        raise Refused("Choose a team from the list.", "team")
    _audit_person_change(acting_admin, person, role, active)
    person.display_name, person.email, person.timezone = display_name.strip(), email, timezone
    person.role, person.team = role, team_id
    deactivated = person.active and not active
    person.active = active
    person.save()
    if deactivated:
        end_sessions(person)
    return person


def _announce(actor, action, user, summary):
    account_changed.send(user, actor=actor, action=action, summary=summary)


def _audit_person_change(actor, person, role, active):
    if person.role != role:
        _announce(actor, "user.role-changed", person, f"{person.display_name}: {person.role} → {role}")
    if person.active != active:
        _announce(actor, "user.reactivated" if active else "user.deactivated", person, person.display_name)


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


def team_sizes():
    """{team_id: number of active members} in one query."""
    query = (User.select(User.team, pw.fn.COUNT(User.id).alias("n"))
             .where(User.active == True, User.team.is_null(False))  # noqa: E712
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
    """{team_id: [coach User, ...]} in one query."""
    result = {tid: [] for tid in team_ids}
    query = (TeamCoach.select(TeamCoach, User).join(User)
             .where(TeamCoach.team.in_(list(team_ids))).order_by(User.display_name))
    for link in query:
        result[link.team_id].append(link.user)
    return result


def coaches_of_team(team):
    return list(User.select().join(TeamCoach, on=(TeamCoach.user == User.id)).where(TeamCoach.team == team))


def team_and_chosen_people(candidates, team_ids, team=None, user_ids=()):
    """The people a coach acts on at once: `team`'s members among `candidates` (a query of the people
    they may choose, in order), then the chosen `user_ids` not among them. `team_ids`: the teams they
    may choose. Refuses a team or a person outside those, or nobody at all."""
    people = []
    if team is not None:
        if team.id not in set(team_ids):
            raise Refused("Choose one of the teams you coach.", "team_id")
        people = list(candidates.where(User.team == team))
    ids = sorted(set(user_ids))
    chosen = list(candidates.where(User.id.in_(ids))) if ids else []
    if len(chosen) != len(ids):
        raise Refused("Choose people from the teams you coach.", "user_ids")
    seen = {u.id for u in people}
    people += [u for u in chosen if u.id not in seen]
    if not people:
        raise Refused("Choose a team or people.", "team_id")
    return people
