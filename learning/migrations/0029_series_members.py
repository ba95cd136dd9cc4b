"""Schedule: people who hold places at every future session of a series (series_member),
so the sessions a series gains later (the rolling horizon, an edit from a date on)
give them a place too."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class Series(Base):
        class Meta:
            table_name = "series"

    class SeriesMember(Base):
        series = pw.ForeignKeyField(Series, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        added_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("series", "user"), True),)

    db.create_tables([SeriesMember])
