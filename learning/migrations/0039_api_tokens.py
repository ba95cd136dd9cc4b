"""Personal access tokens for the JSON API: a hash of each secret, its scope, when it was
created, last used and revoked (frozen copy)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class ApiToken(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        name = pw.CharField(max_length=100)
        scope = pw.CharField(max_length=10)
        prefix = pw.CharField(max_length=16)
        token_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        last_used_at = pw.DateTimeField(null=True)
        revoked_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("user", "revoked_at"), False),)

    db.create_tables([ApiToken])
