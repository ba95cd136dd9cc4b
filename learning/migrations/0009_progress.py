"""Service measures: the configurable measure definitions (seeded with CSAT,
first-contact resolution and quality-review score) and monthly values (frozen copies)."""
import peewee as pw

SEEDED_MEASURES = [
    {"name": "csat", "label": "Customer satisfaction (CSAT)", "unit": "%", "position": 1},
    {"name": "fcr", "label": "First-contact resolution", "unit": "%", "position": 2},
    {"name": "quality", "label": "Quality-review score", "unit": "points", "position": 3},
]


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class MeasureDefinition(Base):
        name = pw.CharField(max_length=40, unique=True)
        label = pw.CharField(max_length=100)
        unit = pw.CharField(max_length=20, default="")
        higher_is_better = pw.BooleanField(default=True)
        min_value = pw.FloatField(default=0)
        max_value = pw.FloatField(default=100)
        position = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)

    class ServiceMeasure(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        month = pw.DateField(index=True)
        measure = pw.ForeignKeyField(MeasureDefinition, on_delete="CASCADE")
        value = pw.FloatField()
        imported_at = pw.DateTimeField()

        class Meta:
            indexes = ((("user", "month", "measure"), True),)

    db.create_tables([MeasureDefinition, ServiceMeasure])
    for row in SEEDED_MEASURES:
        MeasureDefinition.create(higher_is_better=True, min_value=0, max_value=100, active=True, **row)
