"""The programme schedule: series, their sessions, RSVP with capacity and waitlist,
attendance and feedback. Case reviews and modules build on it."""
