"""Accounts: what an HR list knows of a person (employee_id, unique where given, and
start_date, for tenure), when they last signed in, and the indexes the people list
filters and sorts by (status with name, last sign-in)."""
import peewee as pw


def upgrade(db, migrator):
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("user", "employee_id", pw.CharField(max_length=64, null=True)),
        migrator.add_column("user", "start_date", pw.DateField(null=True)),
        migrator.add_column("user", "last_sign_in_at", pw.DateTimeField(null=True)),
    )
    # NULLs never clash in a unique index on either engine: only given ids are unique.
    db.execute_sql('CREATE UNIQUE INDEX "user_employee_id" ON "user" ("employee_id")')
    db.execute_sql('CREATE INDEX "user_active_display_name" ON "user" ("active", "display_name")')
    db.execute_sql('CREATE INDEX "user_last_sign_in_at" ON "user" ("last_sign_in_at")')
