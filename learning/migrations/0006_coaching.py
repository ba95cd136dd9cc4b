"""Coaching: support requests, plan templates, plans with goals, actions and
check-ins, competency ratings (frozen copies).

Actions of kind "complete_module" keep the module id as a plain integer: the
curriculum's table was not on main when this migration was written.
"""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Competency(Base):
        pass

    class Series(Base):
        pass

    class PlanTemplate(Base):
        name = pw.CharField(max_length=120, unique=True)
        description = pw.TextField(default="")
        created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

    class TemplateGoal(Base):
        template = pw.ForeignKeyField(PlanTemplate, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
        what_good_looks_like = pw.TextField()
        target_level = pw.IntegerField()
        due_after_days = pw.IntegerField(default=90)

    class TemplateAction(Base):
        template = pw.ForeignKeyField(PlanTemplate, on_delete="CASCADE")
        kind = pw.CharField(max_length=20)
        title = pw.CharField(max_length=200)
        series = pw.ForeignKeyField(Series, null=True, on_delete="SET NULL")
        module_id = pw.IntegerField(null=True)

    class Plan(Base):
        employee = pw.ForeignKeyField(User, on_delete="CASCADE")
        coach = pw.ForeignKeyField(User, on_delete="CASCADE")
        title = pw.CharField(max_length=200)
        start_date = pw.DateField()
        review_date = pw.DateField()
        status = pw.CharField(max_length=10, default="active")
        template = pw.ForeignKeyField(PlanTemplate, null=True, on_delete="SET NULL")
        acknowledged_at = pw.DateTimeField(null=True)
        acknowledgement_comment = pw.TextField(default="")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            indexes = ((("employee", "status"), False), (("status", "review_date"), False))

    class PlanCompetency(Base):
        plan = pw.ForeignKeyField(Plan, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("plan", "competency"), True),)

    class SupportRequest(Base):
        employee = pw.ForeignKeyField(User, on_delete="CASCADE")
        description = pw.TextField()
        status = pw.CharField(max_length=10, default="open")
        answer = pw.TextField(default="")
        answered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        answered_at = pw.DateTimeField(null=True)
        plan = pw.ForeignKeyField(Plan, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("status", "created_at"), False), (("employee", "created_at"), False))

    class SupportRequestCompetency(Base):
        request = pw.ForeignKeyField(SupportRequest, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("request", "competency"), True),)

    class Goal(Base):
        plan = pw.ForeignKeyField(Plan, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
        what_good_looks_like = pw.TextField()
        target_level = pw.IntegerField()
        due_date = pw.DateField()
        status = pw.CharField(max_length=12, default="not_started")
        created_at = pw.DateTimeField()

    class GoalStatusChange(Base):
        goal = pw.ForeignKeyField(Goal, on_delete="CASCADE")
        old_status = pw.CharField(max_length=12, null=True)
        new_status = pw.CharField(max_length=12)
        changed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        changed_at = pw.DateTimeField()

    class Action(Base):
        plan = pw.ForeignKeyField(Plan, on_delete="CASCADE")
        kind = pw.CharField(max_length=20)
        title = pw.CharField(max_length=200)
        series = pw.ForeignKeyField(Series, null=True, on_delete="SET NULL")
        module_id = pw.IntegerField(null=True, index=True)
        status = pw.CharField(max_length=10, default="open")
        completed_at = pw.DateTimeField(null=True)
        completed_by = pw.CharField(max_length=200, default="")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("kind", "status"), False), (("series", "status"), False))

    class CheckIn(Base):
        plan = pw.ForeignKeyField(Plan, on_delete="CASCADE")
        employee = pw.ForeignKeyField(User, on_delete="CASCADE")
        coach = pw.ForeignKeyField(User, on_delete="CASCADE")
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()
        timezone = pw.CharField(max_length=64)
        video_url = pw.CharField(max_length=500, default="")
        status = pw.CharField(max_length=10, default="scheduled")
        sequence = pw.IntegerField(default=0)
        changed_at = pw.DateTimeField()
        agreed_actions = pw.TextField(default="")
        acknowledgement = pw.CharField(max_length=10, default="")
        acknowledgement_comment = pw.TextField(default="")
        acknowledged_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("employee", "starts_at"), False), (("coach", "starts_at"), False))

    class CheckInAgendaItem(Base):
        checkin = pw.ForeignKeyField(CheckIn, on_delete="CASCADE")
        author = pw.ForeignKeyField(User, on_delete="CASCADE")
        text = pw.CharField(max_length=500)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "checkin_agenda_item"  # "agenda_item" is the case-review meetup agenda

    class CheckInNote(Base):
        checkin = pw.ForeignKeyField(CheckIn, on_delete="CASCADE")
        author = pw.ForeignKeyField(User, on_delete="CASCADE")
        private = pw.BooleanField(default=False)
        body = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("checkin", "private"), False),)

    class Rating(Base):
        employee = pw.ForeignKeyField(User, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")
        level = pw.IntegerField()
        rated_on = pw.DateField()
        source = pw.CharField(max_length=5)
        rater = pw.ForeignKeyField(User, on_delete="CASCADE")
        evidence = pw.TextField(default="")
        evidence_url = pw.CharField(max_length=500, default="")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("employee", "competency", "rated_on"), False),)

    db.create_tables([PlanTemplate, TemplateGoal, TemplateAction, Plan, PlanCompetency, SupportRequest,
                      SupportRequestCompetency, Goal, GoalStatusChange, Action, CheckIn, CheckInAgendaItem,
                      CheckInNote, Rating])
