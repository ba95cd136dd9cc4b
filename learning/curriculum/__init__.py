"""Advanced modules: the catalogue, prerequisites (boundaries first), cohorts with capacity
and waitlist, units, completion and refreshers."""

_subscribed = False


def register(app):
    from learning.curriculum.panels import register_panels
    from learning.templating import NavItem, add_nav_item

    add_nav_item(app, NavItem("Modules", "curriculum.catalogue", order=35, prefix="/modules"))
    register_panels(app)
    _subscribe()


def _subscribe():
    """Attendance recorded at a cohort's session may complete its participants (connected once per process)."""
    global _subscribed
    if _subscribed:
        return
    from blinker import signal

    from learning.curriculum.service import complete_after_attendance

    signal("schedule.attendance-recorded").connect(complete_after_attendance, weak=False)
    _subscribed = True
