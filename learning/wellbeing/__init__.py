"""Wellbeing over time and people staying: an optional pulse on the admin's rhythm, each
person's own answers, team and programme figures for groups of five or more, and tenure and
leaving per team and month."""
from learning.progress.rebuild import also_rebuild
from learning.templating import NavItem, Panel, add_nav_item, add_panel
from learning.wellbeing import departures
from learning.wellbeing.aggregates import close_rounds
from learning.wellbeing.pulse import answer_for
from learning.wellbeing.rounds import open_round


def register(app):
    departures.connect()
    also_rebuild(close_rounds)
    add_nav_item(app, NavItem("Wellbeing", "wellbeing.mine", order=72, prefix="/wellbeing"))
    add_panel(app, Panel("wellbeing/_pulse_panel.html", _pulse_panel, order=15))


def _pulse_panel(user):
    """The person's own reminder while a round is open and they have not answered it."""
    current = open_round()
    if current is None or answer_for(user, current) is not None:
        return None
    return {"round": current}

