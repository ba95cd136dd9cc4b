"""Signals case reviews send (blinker's default namespace; senders are the changed Case).

Subscribers (notify, coaching) import these objects and connect in their own packages.
They fire inside the transaction of the change.
"""
from blinker import signal

# sender: Case, just submitted (its text already redacted).
case_submitted = signal("cases.case-submitted")

# sender: Case; session: the meetup whose agenda now holds it (also on carry-over).
case_scheduled = signal("cases.case-scheduled")

# sender: Case; session: the meetup where it was discussed (takeaways recorded).
case_discussed = signal("cases.case-discussed")

# sender: Case marked heavy (4-5); coach_ids: the author's team coaches to offer a debrief.
debrief_prompted = signal("cases.debrief-prompted")
