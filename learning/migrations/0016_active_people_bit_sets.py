"""Progress: the roll-up keeps each month's active people as a bit set (people_bits)
instead of a JSON list of ids. The roll-up is a cache: the old rows are forgotten and
recomputed in the new form on the next view."""


def upgrade(db, migrator):
    db.execute_sql("DELETE FROM progress_month_figures WHERE section = 'active'")
