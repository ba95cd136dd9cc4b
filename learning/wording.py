"""How counts read in English: "1 person", "3 people", never a bracketed plural.

Used by flash messages, refusals, CLI output and templates (the `count_of` filter).
"""

IRREGULAR = {"person": "people"}


def count_of(number, singular, plural=None):
    """`number` followed by the right form of the noun: count_of(1, "session") == "1 session"."""
    if number == 1:
        return f"{number} {singular}"
    return f"{number} {plural or IRREGULAR.get(singular) or singular + 's'}"
