"""Sign-in links (invitations and password resets: a selector to find one, a hash of its
secret bound to the password it was issued against), password-reset requests for the
throttle, and when each person last signed in (added here unless 0026 added it first)."""
import peewee as pw
from playhouse.migrate import migrate


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class SignInLink(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        purpose = pw.CharField(max_length=20)
        selector = pw.CharField(max_length=32, unique=True)
        token_hash = pw.CharField(max_length=64)
        created_at = pw.DateTimeField()
        expires_at = pw.DateTimeField()
        used_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("user", "purpose", "created_at"), False),)

    class ResetRequest(Base):
        email = pw.CharField(max_length=254)
        address = pw.CharField(max_length=64)
        at = pw.DateTimeField()

        class Meta:
            indexes = ((("email", "at"), False), (("address", "at"), False))

    db.create_tables([SignInLink, ResetRequest])
    if isinstance(db.obj, pw.SqliteDatabase):
        if "last_sign_in_at" not in {column.name for column in db.get_columns("user")}:
            migrate(migrator.add_column("user", "last_sign_in_at", pw.DateTimeField(null=True)))
    else:  # peewee's get_columns looks in "public" only; the database knows its own search path
        db.execute_sql('ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "last_sign_in_at" TIMESTAMP NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "user_last_sign_in_at" ON "user" ("last_sign_in_at")')
