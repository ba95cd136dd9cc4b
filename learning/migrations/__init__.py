"""Numbered schema migrations, applied in order by `flask --app learning db upgrade`.

Each module has `upgrade(db, migrator)`. A migration that creates tables
declares its own frozen copy of the models as they were then, so later model
changes never alter what an old migration does. Never edit a landed migration:
add a new one.
"""
