"""Operations feedback: `feedback_item` (title, cause, owning team or department, status, the
meetup that raised it), `feedback_case` (the cases behind it) and `feedback_status_change`
(its history). Indexes serve the operations page: open items oldest first
(status, created_at), items fixed per quarter (fixed_at), and a case's items (case)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class Cause(Base):
        class Meta:
            table_name = "cause"

    class Case(Base):
        class Meta:
            table_name = "case"

    class Session(Base):
        class Meta:
            table_name = "session"

    class FeedbackItem(Base):
        title = pw.CharField(max_length=200)
        cause = pw.ForeignKeyField(Cause, on_delete="RESTRICT")
        owner = pw.CharField(max_length=120)
        status = pw.CharField(max_length=10, default="open")
        session = pw.ForeignKeyField(Session, null=True, on_delete="SET NULL")
        created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        fixed_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("status", "created_at"), False), (("fixed_at",), False))

    class FeedbackCase(Base):
        item = pw.ForeignKeyField(FeedbackItem, on_delete="CASCADE")
        case = pw.ForeignKeyField(Case, on_delete="CASCADE")

        class Meta:
            indexes = ((("item", "case"), True), (("case",), False))

    class FeedbackStatusChange(Base):
        item = pw.ForeignKeyField(FeedbackItem, on_delete="CASCADE")
        old_status = pw.CharField(max_length=10, null=True)
        new_status = pw.CharField(max_length=10)
        note = pw.TextField(default="")
        changed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        changed_at = pw.DateTimeField()

        class Meta:
            indexes = ((("item", "changed_at"), False),)

    db.create_tables([FeedbackItem, FeedbackCase, FeedbackStatusChange])
