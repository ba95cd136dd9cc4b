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
        # The second one covers the monthly averages (read by month, not by person).
        indexes = ((("user", "month", "measure"), True), (("month", "measure", "user", "value"), False))


class MonthFigures(BaseModel):
    """A page section's figures for one closed month (rollup.py): `payload` is JSON;
    `starts`/`ends` the UTC range of the rows it was computed from."""
    scope = LineField(max_length=80)        # "programme" or "team:<id>:<members>"
    section = LineField(max_length=40)
    month = LineField(max_length=7)         # YYYY-MM
    starts = pw.DateTimeField()
    ends = pw.DateTimeField()
    payload = pw.TextField()
    computed_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "progress_month_figures"
        indexes = ((("scope", "month", "section"), False), (("starts", "ends"), False))


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


MODELS = [MeasureDefinition, ServiceMeasure, MonthFigures, PendingMeasureImport, MeasureImport,
          MeasureImportChange]
