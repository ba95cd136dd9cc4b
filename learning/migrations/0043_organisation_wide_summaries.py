"""Organisation-wide figures that do not grow with the organisation (issue 23):

- pulse_round_total: a closed pulse round's programme totals and the outcome of the small-group
  rule, one row per round, so a team's wellbeing page no longer adds up every team's tally;
- cause_month / cause_month_count: the operations page's cases per cause and closed month, per
  time zone, counted by `flask progress rebuild`; the current month stays live.
Run `flask --app learning progress rebuild` once after it (pages count live until then)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class PulseRoundTotal(Base):
        round_on = pw.DateField(unique=True)
        people = pw.IntegerField()
        workload = pw.IntegerField()
        hard_contacts = pw.IntegerField()
        allowed_to_fix = pw.IntegerField()
        support = pw.IntegerField()
        also_hidden = pw.IntegerField(null=True)

    class CauseMonth(Base):
        zone = pw.CharField(max_length=64)
        month = pw.CharField(max_length=7)
        cause_key = pw.IntegerField()
        cases = pw.IntegerField()
        avoidable = pw.IntegerField()

        class Meta:
            indexes = ((("zone", "month", "cause_key"), True),)

    class CauseMonthCount(Base):
        zone = pw.CharField(max_length=64, unique=True)
        first_month = pw.CharField(max_length=7)
        last_month = pw.CharField(max_length=7)
        computed_at = pw.DateTimeField()

    db.create_tables([PulseRoundTotal, CauseMonth, CauseMonthCount])
