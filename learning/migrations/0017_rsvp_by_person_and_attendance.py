"""Schedule: a covering index for a person's attendance (team progress reads the
attended and no-show places of ~50 people, and their sessions, on every view:
with it the places are read from the index alone)."""


def upgrade(db, migrator):
    db.execute_sql('CREATE INDEX "rsvp_user_id_attendance_session_id" '
                   'ON "rsvp" ("user_id", "attendance", "session_id")')
