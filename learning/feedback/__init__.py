"""Operations feedback: root causes of cases carried back to the teams that can remove them,
and the operations page for coaches and admins."""
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("Operations", "feedback.operations", order=62, prefix="/operations", role="coach"))
