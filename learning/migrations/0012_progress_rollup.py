"""Progress: the monthly roll-up of closed months (progress_month_figures) and a
covering indexes for attendance counted per session (rsvp) and for the monthly
service-measure averages (frozen copies)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class MonthFigures(Base):
        scope = pw.CharField(max_length=80)
        section = pw.CharField(max_length=40)
        month = pw.CharField(max_length=7)
        starts = pw.DateTimeField()
        ends = pw.DateTimeField()
        payload = pw.TextField()
        computed_at = pw.DateTimeField()

        class Meta:
            table_name = "progress_month_figures"
            indexes = ((("scope", "month", "section"), False), (("starts", "ends"), False))

    db.create_tables([MonthFigures])
    db.execute_sql('CREATE INDEX "service_measure_month_measure_id_user_id_value" '
                   'ON "service_measure" ("month", "measure_id", "user_id", "value")')
    db.execute_sql('CREATE INDEX "rsvp_attendance_session_id_user_id" '
                   'ON "rsvp" ("attendance", "session_id", "user_id")')
