"""Progress: the service-measure import log (measure_import), the cells each
import created or changed with their previous values (measure_import_change, so
an import can be undone), and uploads waiting for confirmation after their
preview (pending_measure_import)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class MeasureDefinition(Base):
        class Meta:
            table_name = "measure_definition"

    class PendingMeasureImport(Base):
        token = pw.CharField(max_length=64, unique=True)
        file_name = pw.CharField(max_length=200)
        content = pw.TextField()
        digest = pw.CharField(max_length=64)
        uploaded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
        uploaded_at = pw.DateTimeField(index=True)

    class MeasureImport(Base):
        file_name = pw.CharField(max_length=200)
        imported_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        imported_at = pw.DateTimeField()
        months = pw.CharField(max_length=400)
        lines = pw.IntegerField()
        new_values = pw.IntegerField()
        changed_values = pw.IntegerField()
        unchanged_values = pw.IntegerField()
        undone_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        undone_at = pw.DateTimeField(null=True)

    class MeasureImportChange(Base):
        measure_import = pw.ForeignKeyField(MeasureImport, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        month = pw.DateField()
        measure = pw.ForeignKeyField(MeasureDefinition, on_delete="CASCADE")
        old_value = pw.FloatField(null=True)
        new_value = pw.FloatField()

        class Meta:
            indexes = ((("user", "month", "measure"), False),)

    db.create_tables([PendingMeasureImport, MeasureImport, MeasureImportChange])
