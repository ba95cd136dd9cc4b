"""Service measures beside learning: which measures the programme tracks
(MeasureDefinition, configurable; quality over volume, so no handle time) and
each agent's monthly values (ServiceMeasure), imported by admins from CSV."""
import peewee as pw

from learning.accounts.models import User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField


class MeasureDefinition(BaseModel):
    name = LineField(max_length=40, unique=True)     # the CSV column, e.g. "csat"
    label = LineField(max_length=100)
    unit = LineField(max_length=20, default="")
    higher_is_better = pw.BooleanField(default=True)
    min_value = pw.FloatField(default=0)
    max_value = pw.FloatField(default=100)
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    def __str__(self):
        return self.label


class ServiceMeasure(BaseModel):
    """One agent's value of one measure for one month (`month` is its first day)."""
    user = pw.ForeignKeyField(User, backref="service_measures", on_delete="CASCADE")
    month = pw.DateField(index=True)
    measure = pw.ForeignKeyField(MeasureDefinition, backref="values", on_delete="CASCADE")
    value = pw.FloatField()
    imported_at = pw.DateTimeField(default=utcnow)

    class Meta:
        # The second one covers the programme's monthly averages (read by month, not by person);
        # the third a team's (its members' months, read from the index alone).
        indexes = ((("user", "month", "measure"), True), (("month", "measure", "user", "value"), False),
                   (("user", "month", "measure", "value"), False))


class PersonMonth(BaseModel):
    """One person's learning activity in one month as `zone` buckets months (summary.py):
    written only by `flask progress rebuild`; a row exists only for a month with activity."""
    zone = LineField(max_length=64)
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    month = LineField(max_length=7)           # YYYY-MM
    sessions = pw.IntegerField(default=0)        # sessions attended
    cases_brought = pw.IntegerField(default=0)
    cases_discussed = pw.IntegerField(default=0)
    modules = pw.IntegerField(default=0)         # modules completed
    goals = pw.IntegerField(default=0)           # plan goals achieved

    class Meta:
        table_name = "progress_person_month"
        # A team's months: its members' rows of one zone (user first, so the IN list is a range scan each).
        indexes = ((("zone", "user", "month"), True),)


class ProgressSummary(BaseModel):
    """The last rebuild for one zone (summary.py): when it counted, the first month of the year
    it covered, and the programme page's tables as JSON."""
    zone = LineField(max_length=64, unique=True)
    first_month = LineField(max_length=7)     # YYYY-MM
    computed_at = pw.DateTimeField(default=utcnow)
    programme = pw.TextField()

    class Meta:
        table_name = "progress_summary"


class PendingMeasureImport(BaseModel):
    """An upload checked and previewed, waiting for its admin to confirm it: kept here,
    keyed by a random token, so the confirmation writes exactly the file that was previewed.
    `digest` fingerprints the changes the preview showed."""
    token = LineField(max_length=64, unique=True)
    file_name = LineField(max_length=200)
    content = pw.TextField()
    digest = LineField(max_length=64)
    uploaded_by = pw.ForeignKeyField(User, backref="pending_measure_imports", on_delete="CASCADE")
    uploaded_at = pw.DateTimeField(default=utcnow, index=True)


class MeasureImport(BaseModel):
    """One confirmed import in the log: who, when, which file, what it did; undone once at most."""
    file_name = LineField(max_length=200)
    imported_by = pw.ForeignKeyField(User, null=True, backref="measure_imports", on_delete="SET NULL")
    imported_at = pw.DateTimeField(default=utcnow)
    months = LineField(max_length=400)      # "2026-02, 2026-03"
    lines = pw.IntegerField()
    new_values = pw.IntegerField()
    changed_values = pw.IntegerField()
    unchanged_values = pw.IntegerField()
    undone_by = pw.ForeignKeyField(User, null=True, backref="undone_measure_imports", on_delete="SET NULL")
    undone_at = pw.DateTimeField(null=True)


class MeasureImportChange(BaseModel):
    """A cell an import created (`old_value` None) or changed, with the value it had before."""
    measure_import = pw.ForeignKeyField(MeasureImport, backref="changes", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="measure_import_changes", on_delete="CASCADE")
    month = pw.DateField()
    measure = pw.ForeignKeyField(MeasureDefinition, on_delete="CASCADE")
    old_value = pw.FloatField(null=True)
    new_value = pw.FloatField()

    class Meta:
        indexes = ((("user", "month", "measure"), False),)


class MeasureSource(BaseModel):
    """A CSV export's columns mapped once to the measures (measure_sources.py), recognised by
    `header_key`, the fingerprint of its set of column names. `mapping` is JSON:
    {measure name: [column, transform]}."""
    name = LineField(max_length=100, unique=True)
    header_key = LineField(max_length=64, unique=True)
    columns = pw.TextField()                    # JSON: the header as the file had it
    person_column = LineField(max_length=200)
    person_kind = LineField(max_length=20)      # "email" or "employee_id"
    month_column = LineField(max_length=200)
    mapping = pw.TextField()
    created_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    def __str__(self):
        return self.name


class PendingSourceUpload(BaseModel):
    """An upload whose columns no source knows yet, kept (staged_uploads.py) while its admin maps them."""
    token = LineField(max_length=64, unique=True)
    file_name = LineField(max_length=200)
    content = pw.TextField()
    uploaded_by = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    uploaded_at = pw.DateTimeField(default=utcnow, index=True)


MODELS = [MeasureDefinition, ServiceMeasure, PersonMonth, ProgressSummary, PendingMeasureImport, MeasureImport,
          MeasureImportChange, MeasureSource, PendingSourceUpload]
