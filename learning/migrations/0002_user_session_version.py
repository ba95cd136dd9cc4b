"""A per-user counter in every login session: raising it (password change,
deactivation) signs that user out everywhere."""
import peewee as pw


def upgrade(db, migrator):
    from playhouse.migrate import migrate

    migrate(migrator.add_column("user", "session_version", pw.IntegerField(default=1)))
