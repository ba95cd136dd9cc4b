"""Calendar feed tokens (frozen copy)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class FeedToken(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        scope = pw.CharField(max_length=12)
        scope_key = pw.CharField(max_length=64, default="")
        nonce = pw.CharField(max_length=64)
        token_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        regenerated_at = pw.DateTimeField()
        last_fetched_at = pw.DateTimeField(null=True)
        last_user_agent = pw.CharField(max_length=300, default="")
        high_water = pw.DateTimeField(null=True)
        state_key = pw.CharField(max_length=64, default="")

        class Meta:
            indexes = ((("user", "scope", "scope_key"), True),)

    db.create_tables([FeedToken])
