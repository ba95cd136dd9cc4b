"""Failed sign-in attempts, kept in the database so every app server throttles alike."""
import peewee as pw


def upgrade(db, migrator):
    class LoginFailure(pw.Model):
        email = pw.CharField(max_length=254)
        address = pw.CharField(max_length=64)
        at = pw.DateTimeField()

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("email", "at"), False), (("address", "at"), False))

    db.create_tables([LoginFailure])
