"""Queries compiled to SQL once per database engine and run again with each request's values:
only for the few hot queries whose peewee building costs more than running them, each use with
its measured figure beside it: the calendar poll's three (calendars/), a team's months and its
members' last activity (progress/team.py). Five in all; keep the count small.

Calendar apps poll every feed about once an hour, and nearly every poll is answered 304 from
the feed's fingerprint (calendars/feeds.py). Building and compiling those peewee queries cost far
more than running them: for a personal feed, 3-4 ms of CPU to build against 0.1-0.4 ms to run
(demo data and bench scale 1, SQLite), so a 304 cost ten times an empty request. Built once here,
the poll runs the same SQL text with its own values: see the 304 figures in docs/benchmark.md.

The query is still written once, with peewee, by the module that owns its rule: `Prepared`
calls that builder twice with different example values, checks that only the values moved,
and remembers which parameter holds which value. Nothing here knows a table.
"""
from datetime import datetime, timedelta

from learning.db import db

# Example values far from any real one, so a parameter that equals one can only have come from it.
_EXAMPLES = {
    int: lambda n, variant: 1_900_000_000 + 10 * n + variant,
    datetime: lambda n, variant: datetime(1901, 1, 1) + timedelta(days=10 * n + variant, seconds=7),
    str: lambda n, variant: f"~example-{n}-{variant}~",
}


class Prepared:
    """`build(**values)` returns a peewee query; `rows(**values)` runs its SQL, compiled once per
    engine. `kinds` names each value's type (int, datetime or str); `converters` turn each
    returned column from the driver's form into Python's (a field's `python_value`, or None)."""

    def __init__(self, build, kinds, converters=()):
        self.build, self.kinds, self.converters = build, kinds, converters
        self.compiled = {}   # database class -> (sql, [(value name or None, constant)])

    def _examples(self, variant):
        return {name: _EXAMPLES[kind](n, variant) for n, (name, kind) in enumerate(sorted(self.kinds.items()))}

    def _compile(self):
        first, second = self._examples(0), self._examples(1)
        sql, params = self.build(**first).sql()
        sql_again, params_again = self.build(**second).sql()
        names = {value: name for name, value in first.items()}
        slots = []
        for value, value_again in zip(params, params_again):
            if value == value_again:
                if value in names:
                    raise ValueError(f"{names[value]} reached the SQL in a form that cannot be replaced")
                slots.append((None, value))
            elif value in names and value_again == second[names[value]]:
                slots.append((names[value], None))
            else:
                raise ValueError(f"a parameter moved without being a value: {value!r}")
        if sql != sql_again or len(params) != len(params_again):
            raise ValueError("the query's SQL depends on its values")
        return sql, slots

    def rows(self, **values):
        key = type(db.obj)
        if key not in self.compiled:
            self.compiled[key] = self._compile()
        sql, slots = self.compiled[key]
        params = [values[name] if name else constant for name, constant in slots]
        return [self._convert(row) for row in db.execute_sql(sql, params).fetchall()]

    def _convert(self, row):
        if not self.converters:
            return tuple(row)
        return tuple(value if convert is None or value is None else convert(value)
                     for value, convert in zip(row, self.converters))
