"""The kinds of notice a person can hear of, each with its own preference."""

KINDS = {
    "rsvp": "Your places at sessions: confirmed, waitlist position, promotion, withdrawal",
    "session_change": "Sessions you hold a place at moved or cancelled",
    "reminder": "Reminders before your sessions and check-ins",
    "case": "Your cases scheduled on a meetup agenda or discussed",
    "debrief": "Debrief prompts after a meetup (coaches)",
    "coaching": "Support requests answered and development plans assigned",
    "checkin": "Check-ins scheduled, moved or cancelled",
    "module": "Module enrolment, waitlist and completion",
    "refresher": "Refreshers coming due",
    "feedback": "Operations feedback raised from your cases, and its status",
}

KIND_SHORT = {
    "rsvp": "Place", "session_change": "Session change", "reminder": "Reminder", "case": "Case",
    "debrief": "Debrief", "coaching": "Coaching", "checkin": "Check-in", "module": "Module",
    "refresher": "Refresher", "feedback": "Operations feedback",
}

DEFAULT_CHANNEL = "email"
