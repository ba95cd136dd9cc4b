"""Coaching: support requests, development plans with goals, actions and
check-ins, plan templates and competency ratings over time."""
from learning.accounts.models import User
from learning.audit.sentences import Link, add_subject_names
from learning.coaching import access
from learning.coaching.checkins import upcoming_checkins
from learning.coaching.models import Plan
from learning.coaching.subscribers import connect_subscribers
from learning.db import utcnow
from learning.templating import BADGE_MAX, NavItem, Panel, add_nav_item, add_panel


def open_request_count(user):
    """The nav badge: open support requests waiting for this coach."""
    if not user.is_coach:
        return 0
    return access.open_request_count(user, most=BADGE_MAX + 1)


def load_panel(user):
    """Dashboard: a coach's open requests by age; anyone's next check-ins."""
    requests = list(access.coached_open_requests(user).limit(5)) if user.is_coach else []
    checkins = upcoming_checkins(user, limit=3)
    if not requests and not checkins:
        return None
    return {"requests": requests, "checkins": checkins, "now": utcnow()}


def plan_names(ids):
    """The audit log's names for plans: the title and whose plan it is."""
    plans = Plan.select(Plan.id, Plan.title, Plan.employee).where(Plan.id.in_(list(ids)))
    people = {u.id: u.display_name for u in User.select(User.id, User.display_name)
              .where(User.id.in_([p.employee_id for p in plans]))}
    return {p.id: Link(f"{p.title} ({people.get(p.employee_id, 'someone')})", f"/plans/{p.id}") for p in plans}


def register(app):
    add_subject_names(app, "plan", plan_names)
    add_nav_item(app, NavItem("Coaching", "coaching.overview", order=40, badge=open_request_count,
                              prefix="/coaching"))
    add_panel(app, Panel("coaching/_panel.html", load_panel, order=40))
    connect_subscribers()
