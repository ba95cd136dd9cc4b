"""Users, teams and their coaches; the competency framework."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Team(Base):
        name = pw.CharField(max_length=100, unique=True)
        created_at = pw.DateTimeField()

    class User(Base):
        email = pw.CharField(max_length=254, unique=True)
        display_name = pw.CharField(max_length=100)
        password_hash = pw.CharField(max_length=255)
        role = pw.CharField(max_length=10, index=True)
        team = pw.ForeignKeyField(Team, null=True, backref="members", on_delete="SET NULL")
        timezone = pw.CharField(max_length=64)
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

    class TeamCoach(Base):
        team = pw.ForeignKeyField(Team, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")

        class Meta:
            indexes = ((("team", "user"), True),)

    class Competency(Base):
        name = pw.CharField(max_length=120, unique=True)
        description = pw.TextField(default="")
        area = pw.CharField(max_length=80, index=True)
        position = pw.IntegerField(default=0)

    class CompetencyLevel(Base):
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
        level = pw.IntegerField()
        descriptor = pw.TextField()

        class Meta:
            indexes = ((("competency", "level"), True),)

    db.create_tables([Team, User, TeamCoach, Competency, CompetencyLevel])
