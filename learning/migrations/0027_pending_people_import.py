"""Accounts: people files waiting for their confirmation after the preview
(pending_people_import), as the service-measure import keeps its uploads."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class PendingPeopleImport(Base):
        token = pw.CharField(max_length=64, unique=True)
        file_name = pw.CharField(max_length=200)
        content = pw.TextField()
        options = pw.CharField(max_length=200)
        digest = pw.CharField(max_length=64)
        uploaded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
        uploaded_at = pw.DateTimeField(index=True)

    db.create_tables([PendingPeopleImport])
