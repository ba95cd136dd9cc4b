"""Measure sources: a CSV export's columns mapped once to the measures, recognised by its set
of column names; and uploads kept while their columns are mapped (frozen copies)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class MeasureSource(Base):
        name = pw.CharField(max_length=100, unique=True)
        header_key = pw.CharField(max_length=64, unique=True)
        columns = pw.TextField()
        person_column = pw.CharField(max_length=200)
        person_kind = pw.CharField(max_length=20)
        month_column = pw.CharField(max_length=200)
        mapping = pw.TextField()
        created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

    class PendingSourceUpload(Base):
        token = pw.CharField(max_length=64, unique=True)
        file_name = pw.CharField(max_length=200)
        content = pw.TextField()
        uploaded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
        uploaded_at = pw.DateTimeField(index=True)

    db.create_tables([MeasureSource, PendingSourceUpload])
