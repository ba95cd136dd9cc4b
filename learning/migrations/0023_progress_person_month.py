"""Progress: the monthly summary rebuilt by `flask progress rebuild` (progress/summary.py)
replaces the roll-up that pages filled and signals forgot. Adds progress_person_month
(one person's activity per month, per zone viewers see months in) and progress_summary
(per zone: when it was counted and the programme page's tables); drops
progress_month_figures (the roll-up, bit sets of 0016 included). A covering index for a
team's monthly measure averages, now read live for its members. Frozen copies."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class PersonMonth(Base):
        zone = pw.CharField(max_length=64)
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        month = pw.CharField(max_length=7)
        sessions = pw.IntegerField(default=0)
        cases_brought = pw.IntegerField(default=0)
        cases_discussed = pw.IntegerField(default=0)
        modules = pw.IntegerField(default=0)
        goals = pw.IntegerField(default=0)

        class Meta:
            table_name = "progress_person_month"
            indexes = ((("zone", "user", "month"), True),)

    class ProgressSummary(Base):
        zone = pw.CharField(max_length=64, unique=True)
        first_month = pw.CharField(max_length=7)
        computed_at = pw.DateTimeField()
        programme = pw.TextField()

        class Meta:
            table_name = "progress_summary"

    db.create_tables([PersonMonth, ProgressSummary])
    db.execute_sql('DROP TABLE IF EXISTS "progress_month_figures"')
    db.execute_sql('CREATE INDEX "service_measure_user_id_month_measure_id_value" '
                   'ON "service_measure" ("user_id", "month", "measure_id", "value")')
