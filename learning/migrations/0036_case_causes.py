"""Root causes on cases: the `cause` list (seeded with what the programme has seen cause most
contacts and most pressure; admins edit it), and on `case` the cause it was tagged with and
whether it was avoidable (empty: not decided).

Indexes: `case(cause, status, discussed_at)` for the library filtered by cause, and
`case(submitted_at, cause, avoidable, status)`, which the operations page's causes-by-month
counts read alone (a range of submission times, grouped in SQL).
"""
import peewee as pw
from playhouse.migrate import migrate

STARTING_CAUSES = (
    ("Product or system defect", "Something in the product or a system did not work as it should."),
    ("Process", "A process made the customer contact us, or made it hard to help."),
    ("Policy", "A policy caused the contact or stood in the way of a fix."),
    ("No permission to fix it", "The agent knew the fix but was not allowed to apply it."),
    ("Staffing pressure", "Rushed by queue length or a handle-time target."),
    ("Conflicting instructions", "Two instructions, guides or teams said different things."),
    ("Knowledge gap", "The answer was not known or not findable."),
    ("Tooling", "Support's own tools were missing, slow or in the way."),
    ("Customer expectation", "What the customer expected differed from what we offer or promised."),
    ("Other", "None of the above."),
)


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Cause(Base):
        name = pw.CharField(max_length=80, unique=True)
        description = pw.CharField(max_length=300, default="")
        position = pw.IntegerField()
        retired = pw.BooleanField(default=False)

        class Meta:
            indexes = ((("retired", "position"), False),)

    db.create_tables([Cause])
    Cause.insert_many([{"name": name, "description": description, "position": number, "retired": False}
                       for number, (name, description) in enumerate(STARTING_CAUSES, start=1)]).execute()
    migrate(
        migrator.add_column("case", "cause_id", pw.ForeignKeyField(Cause, null=True, field=Cause.id,
                                                                   on_delete="SET NULL")),
        migrator.add_column("case", "avoidable", pw.BooleanField(null=True)),
        migrator.add_index("case", ("cause_id", "status", "discussed_at"), False),
        migrator.add_index("case", ("submitted_at", "cause_id", "avoidable", "status"), False),
    )
