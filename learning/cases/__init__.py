"""Case reviews: agents submit tough interactions (redacted of customer data),
peers vote, coaches build meetup agendas, the group discusses, and takeaways
build a searchable case library."""
from learning.cases.service import debrief_prompts_for
from learning.templating import NavItem, Panel, add_nav_item, add_panel


def register(app):
    add_nav_item(app, NavItem("Case reviews", "cases.index", order=30, prefix="/cases"))
    add_nav_item(app, NavItem("Library", "cases.library_index", order=32, prefix="/library"))
    add_panel(app, Panel("cases/_debrief_panel.html", _debrief_panel, order=20))


def _debrief_panel(user):
    """Coaches: heavy cases whose authors may want a debrief, until answered."""
    if not user.is_coach:
        return None
    prompts = debrief_prompts_for(user)
    return {"prompts": prompts} if prompts else None
