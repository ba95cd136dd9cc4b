"""Operations feedback: root causes of cases carried back to the teams that can remove them,
and the operations page for coaches and admins."""
from learning.feedback.figures import rebuild
from learning.progress.rebuild import also_rebuild
from learning.templating import NavItem, add_nav_item


def register(app):
    also_rebuild(rebuild)
    add_nav_item(app, NavItem("Operations", "feedback.operations", order=62, prefix="/operations", role="coach"))
