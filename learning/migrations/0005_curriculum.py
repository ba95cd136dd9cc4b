"""Advanced modules: modules, competencies, prerequisites, units, cohorts, enrolments,
unit progress and completions (frozen copies)."""
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

    class Session(Base):
        pass

    class Module(Base):
        title = pw.CharField(max_length=200, unique=True)
        summary = pw.TextField(default="")
        area = pw.CharField(max_length=80, index=True)
        estimated_hours = pw.IntegerField(default=1)
        validity_months = pw.IntegerField(null=True)
        status = pw.CharField(max_length=12, default="draft", index=True)
        created_by = pw.ForeignKeyField(User)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        published_at = pw.DateTimeField(null=True)

    class ModuleCompetency(Base):
        module = pw.ForeignKeyField(Module, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("module", "competency"), True),)

    class Prerequisite(Base):
        module = pw.ForeignKeyField(Module, on_delete="CASCADE")
        requires = pw.ForeignKeyField(Module, on_delete="CASCADE")

        class Meta:
            indexes = ((("module", "requires"), True),)

    class Unit(Base):
        module = pw.ForeignKeyField(Module, on_delete="CASCADE")
        position = pw.IntegerField(default=0)
        title = pw.CharField(max_length=200)
        material = pw.TextField(default="")
        session = pw.ForeignKeyField(Session, null=True, on_delete="SET NULL")
        exercise = pw.CharField(max_length=500, default="")

        class Meta:
            indexes = ((("module", "position"), False),)

    class Cohort(Base):
        module = pw.ForeignKeyField(Module, on_delete="CASCADE")
        title = pw.CharField(max_length=200)
        starts_on = pw.DateField()
        ends_on = pw.DateField()
        capacity = pw.IntegerField(null=True)
        series = pw.ForeignKeyField(Series, null=True, on_delete="SET NULL")
        created_by = pw.ForeignKeyField(User)
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("module", "starts_on"), False),)

    class Enrolment(Base):
        cohort = pw.ForeignKeyField(Cohort, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        status = pw.CharField(max_length=12, index=True)
        queue_number = pw.IntegerField()
        sequence = pw.IntegerField(default=0)
        enrolled_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        override_note = pw.TextField(default="")
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            indexes = ((("cohort", "user"), True), (("user", "status"), False),
                       (("cohort", "status", "queue_number"), False))

    class UnitProgress(Base):
        unit = pw.ForeignKeyField(Unit, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        done_at = pw.DateTimeField()

        class Meta:
            indexes = ((("user", "unit"), True),)

    class Completion(Base):
        module = pw.ForeignKeyField(Module, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        cohort = pw.ForeignKeyField(Cohort, null=True, on_delete="SET NULL")
        completed_at = pw.DateTimeField()
        expires_at = pw.DateTimeField(null=True, index=True)
        method = pw.CharField(max_length=10)
        note = pw.TextField(default="")
        recorded_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("user", "module", "completed_at"), False),)

    db.create_tables([Module, ModuleCompetency, Prerequisite, Unit, Cohort, Enrolment, UnitProgress, Completion])
