"""Signals coaching sends; subscribers import these objects and connect to them.

They fire inside the transaction of the change. Notifications and calendars
subscribe in their own packages.
"""
from blinker import signal

# sender: SupportRequest, after a coach answered it with a message or accepted it into a plan.
request_answered = signal("coaching.request-answered")

# sender: Plan, after a coach created it for an employee.
plan_assigned = signal("coaching.plan-assigned")

# sender: Plan, after its employee acknowledged it (acknowledged_at set, maybe a comment).
plan_acknowledged = signal("coaching.plan-acknowledged")

# sender: CheckIn; change: "scheduled" | "moved" | "cancelled".
checkin_changed = signal("coaching.checkin-changed")

# sender: CheckInSeries; change: "started" | "stopped". Its check-ins send no checkin_changed
# of their own when the series starts or stops: one notice per person, not one per occurrence.
checkin_series_changed = signal("coaching.checkin-series-changed")
