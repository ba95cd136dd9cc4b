"""Case reviews: cases, votes, meetup settings, agendas, discussion, takeaways, debrief prompts
(frozen copies)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Team(Base):
        pass

    class User(Base):
        pass

    class Competency(Base):
        pass

    class Session(Base):
        pass

    class Case(Base):
        author = pw.ForeignKeyField(User, on_delete="CASCADE")
        team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
        title = pw.CharField(max_length=200)
        channel = pw.CharField(max_length=20)
        customer_need = pw.TextField(default="")
        actions = pw.TextField(default="")
        outcome = pw.TextField(default="")
        ask = pw.TextField(default="")
        heaviness = pw.IntegerField(null=True)
        anonymous = pw.BooleanField(default=False)
        status = pw.CharField(max_length=12, default="draft")
        meetup = pw.ForeignKeyField(Session, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        submitted_at = pw.DateTimeField(null=True)
        discussed_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("status", "team", "submitted_at"), False), (("author", "status"), False),
                       (("status", "discussed_at"), False), (("channel", "status"), False))

    class CaseCompetency(Base):
        case = pw.ForeignKeyField(Case, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("case", "competency"), True), (("competency",), False))

    class Vote(Base):
        case = pw.ForeignKeyField(Case, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("case", "user"), True),)

    class MeetupSettings(Base):
        session = pw.ForeignKeyField(Session, unique=True, on_delete="CASCADE")
        discussion_private = pw.BooleanField(default=False)

    class AgendaItem(Base):
        session = pw.ForeignKeyField(Session, on_delete="CASCADE")
        case = pw.ForeignKeyField(Case, on_delete="CASCADE")
        position = pw.IntegerField()
        minutes = pw.IntegerField()
        outcome = pw.CharField(max_length=14, default="planned")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "case_agenda_item"
            indexes = ((("session", "case"), True), (("session", "position"), False),
                       (("case", "outcome"), False))

    class Comment(Base):
        case = pw.ForeignKeyField(Case, on_delete="CASCADE")
        session = pw.ForeignKeyField(Session, on_delete="CASCADE")
        author = pw.ForeignKeyField(User, on_delete="CASCADE")
        body = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("case", "created_at"), False),)

    class Takeaway(Base):
        case = pw.ForeignKeyField(Case, unique=True, on_delete="CASCADE")
        session = pw.ForeignKeyField(Session, on_delete="CASCADE")
        what_worked = pw.TextField()
        do_differently = pw.TextField()
        principle = pw.CharField(max_length=300)
        recorded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

    class TakeawayCompetency(Base):
        takeaway = pw.ForeignKeyField(Takeaway, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("takeaway", "competency"), True), (("competency",), False))

    class DebriefPrompt(Base):
        case = pw.ForeignKeyField(Case, unique=True, on_delete="CASCADE")
        team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
        status = pw.CharField(max_length=10, default="open")
        handled_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            indexes = ((("team", "status"), False),)

    db.create_tables([Case, CaseCompetency, Vote, MeetupSettings, AgendaItem, Comment, Takeaway,
                      TakeawayCompetency, DebriefPrompt])
