"""Who sees and changes what in coaching: the one place every page, feed and test asks.

An employee sees their own requests, plans, goals, check-ins, shared notes and
ratings. Coaches see those of the teams they coach, and private notes written on
check-ins of those employees (by them or a co-coach). Admins manage everything
but never read private coach notes. Anything else is a 404.
"""
from learning.accounts.models import TeamCoach, User
from learning.accounts.service import is_coach_of
from learning.coaching.models import CheckIn, Plan, SupportRequest


def coached_member_ids(user):
    """A subquery of the ids of people in the teams `user` coaches (a join, not a nested IN:
    the coach's badge asks on every page, and peewee writes an IN's subquery twice)."""
    return User.select(User.id).join(TeamCoach, on=(TeamCoach.team == User.team)).where(TeamCoach.user == user)


def can_view_person(user, person):
    """May `user` see `person`'s coaching record (requests, plans, ratings, shared notes)?"""
    return user.id == person.id or user.is_admin or is_coach_of(user, person)


def can_coach(user, person):
    """May `user` act as `person`'s coach (answer requests, create plans, rate, write private notes)?"""
    return user.id != person.id and is_coach_of(user, person)


def can_view_plan(user, plan):
    return can_view_person(user, plan.employee)


def can_manage_plan(user, plan):
    """Coaches of the employee's team change a plan; admins manage it too."""
    return user.is_admin or can_coach(user, plan.employee)


def can_view_checkin(user, checkin):
    return can_view_person(user, checkin.employee)


def can_take_part(user, checkin):
    """The employee and their coaches add agenda items and shared notes."""
    return user.id == checkin.employee_id or can_coach(user, checkin.employee)


def can_read_private_notes(user, employee):
    """Coaches of the employee only: not the employee, not admins as such."""
    return can_coach(user, employee)


def can_view_request(user, request):
    return can_view_person(user, request.employee)


def can_manage_templates(user):
    return user.is_coach


def visible_requests(user):
    query = SupportRequest.select(SupportRequest, User).join(User, on=(SupportRequest.employee == User.id))
    if user.is_admin:
        return query
    return query.where((SupportRequest.employee == user) | (SupportRequest.employee.in_(coached_member_ids(user))))


def visible_plans(user):
    query = Plan.select(Plan, User).join(User, on=(Plan.employee == User.id))
    if user.is_admin:
        return query
    # One IN over a UNION (as for check-ins): with an OR, a coach's list walked every plan in the organisation.
    return query.where(Plan.employee.in_(User.select(User.id).where(User.id == user.id) | coached_member_ids(user)))


def coached_open_requests(user):
    """Open requests of people in the teams `user` coaches, oldest first."""
    return (SupportRequest.select(SupportRequest, User).join(User, on=(SupportRequest.employee == User.id))
            .where(_waiting_for(user.id)).order_by(SupportRequest.created_at, SupportRequest.id))


def _waiting_for(coach_id):
    return ((SupportRequest.status == "open") & SupportRequest.employee.in_(coached_member_ids(coach_id))
            & (SupportRequest.employee != coach_id))


def open_request_count(user, most=None):
    """How many open support requests wait for this coach, counted up to `most` when given."""
    query = SupportRequest.select(SupportRequest.id).where(_waiting_for(user.id))
    return (query if most is None else query.limit(most)).count()


def visible_checkins(user):
    query = CheckIn.select(CheckIn)
    if user.is_admin:
        return query
    return query.where(visible_checkin_condition(user.id))


def visible_employee_ids(user_id):
    """The ids of the people whose check-ins a non-admin may see, read as values (see
    checkins.upcoming_checkins for why)."""
    return [person for (person,) in (User.select(User.id).where(User.id == user_id)
                                     | coached_member_ids(user_id)).tuples()]


def visible_checkin_condition(user_id):
    """Check-ins a non-admin may see: their own and those of the people they coach.
    One IN over a UNION, so the check_in(employee, ...) index serves both (an OR read every check-in)."""
    return CheckIn.employee.in_(User.select(User.id).where(User.id == user_id) | coached_member_ids(user_id))
