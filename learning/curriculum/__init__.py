"""Advanced modules: the catalogue, prerequisites (boundaries first), cohorts with capacity
and waitlist, units, completion and refreshers."""
from learning.curriculum import cohort_batch, leavers
from learning.curriculum.panels import register_panels
from learning.curriculum.service import complete_after_attendance
from learning.schedule.signals import attendance_recorded, cohort_sources
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("Modules", "curriculum.catalogue", order=35, prefix="/modules"))
    register_panels(app)
    # Attendance recorded at a cohort's session may complete its participants
    # (blinker ignores a second connection of the same receiver).
    attendance_recorded.connect(complete_after_attendance, weak=False)
    leavers.connect()
    # The series enrolment form offers "everyone enrolled in a cohort" through this answer.
    cohort_sources.connect(cohort_batch.CohortSource, weak=False)
