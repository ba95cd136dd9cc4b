"""Dashboard panels: the person's modules and refreshers coming due; for coaches, the
refreshers coming due in their teams."""
from learning.accounts.models import User
from learning.accounts.service import coached_team_ids
from learning.curriculum.models import Cohort, Enrolment, Module
from learning.curriculum.service import HOLDING, refreshers_due
from learning.db import utcnow
from learning.templating import Panel, add_panel


def my_modules(user):
    places = list(Enrolment.select(Enrolment.id, Enrolment.status, Cohort.id, Module.id, Module.title)
                  .join(Cohort).join(Module)
                  .where(Enrolment.user == user.id, Enrolment.status.in_(HOLDING), Cohort.ends_on >= utcnow().date())
                  .order_by(Cohort.starts_on).limit(5))
    due = refreshers_due([user.id])
    if user.is_coach and not places and not due:
        return None  # coaches who take no module see their teams' panel instead
    return {"places": places, "due": due, "now": utcnow()}


def team_refreshers(user):
    if not user.is_coach:
        return None
    team_ids = coached_team_ids(user)
    if not team_ids:
        return None
    members = User.select(User.id).where(User.team.in_(team_ids), User.active == True)  # noqa: E712
    return {"due": refreshers_due(members, limit=10), "now": utcnow()}


def register_panels(app):
    add_panel(app, Panel("curriculum/panel_mine.html", my_modules, order=30))
    add_panel(app, Panel("curriculum/panel_team.html", team_refreshers, order=31))
