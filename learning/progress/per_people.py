"""Queries over a group of people (a team's members) whose SQL is written once per group
size: the team page runs a dozen of them, each with the members' ids in an IN list, on
every view (see learning.db.CompiledSelect)."""
from learning.db import CompiledSelect


def for_people(query, field, people):
    """`query` narrowed to rows whose `field` is one of `people` (ids; None: everyone)."""
    return query if people is None else query.where(field.in_(list(people)))


class PerPeople:
    """`build(*values, people=ids or None)` gives the query (with `.tuples()` where rows are
    read as tuples); `values` are the changing values other than the people (dates, "now"),
    each used as given. `people=None` means everyone and is not compiled."""

    def __init__(self, build, values=0):
        self.build = build
        self.values = values
        self.compiled = CompiledSelect(lambda *args: build(*args[:values], people=args[values:]))

    def rows(self, user_ids, *values):
        assert len(values) == self.values
        if user_ids is None:
            return self.build(*values, people=None)
        ids = sorted(set(user_ids))
        return self.compiled(*values, *ids, shape=len(ids))
