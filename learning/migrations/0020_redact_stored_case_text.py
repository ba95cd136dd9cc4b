"""Case reviews: what peers read about a case is redacted with today's rules.

Comments and takeaways used to be stored as typed, and submitted cases were
redacted by fewer rules (no addresses, dates of birth, secrets in links,
spelled-out e-mails or marked names). This redacts every stored row of those
fields again: the text of every case past its draft (a draft is its author's
alone), then its comments, its takeaways and the notices and mails that quote
its title, each with the names found in the case's own text (a comment saying
"Maria" is redacted when the case greeted "Hi Maria,"). Redaction is
idempotent, so rows already clean stay as they are. The search index follows
the rows (SQLite triggers, PostgreSQL expression indexes).
"""
import re

import peewee as pw

from learning.cases.redaction import found_names, redact_fields

BATCH = 500
CASE_LINK = re.compile(r"^/cases/(\d+)")


def _linked_case(row):
    match = CASE_LINK.match(row["link"] or "")
    return int(match.group(1)) if match else None


# table, its text columns (redacted together) with their lengths, the column that
# tells which case a row is about and how, which rows
CASES = ("case", {"title": 200, "customer_need": None, "actions": None, "outcome": None, "ask": None},
         "id", lambda row: row["id"], lambda t: t.status != "draft")
ABOUT_CASES = (
    ("comment", {"body": None}, "case_id", lambda row: row["case_id"], None),
    ("takeaway", {"what_worked": None, "do_differently": None, "principle": 300}, "case_id",
     lambda row: row["case_id"], None),
    ("notification", {"text": 500}, "link", _linked_case, lambda t: t.kind == "case"),
    ("outbox_message", {"subject": 300, "body": None}, "link", _linked_case, lambda t: t.kind == "case"),
)


def upgrade(db, migrator):
    names = {}   # case id -> the names its text marks
    _redact_table(db, *CASES, names, learn=True)
    for target in ABOUT_CASES:
        _redact_table(db, *target, names)


def _redact_table(db, name, columns, key, case_of, condition, names, learn=False):
    table = pw.Table(name, ("id", "status", "kind", "case_id", "link", *columns)).bind(db)
    last = 0
    while True:
        query = (table.select(table.id, getattr(table, key), *[getattr(table, c) for c in columns])
                 .where(table.id > last))
        if condition is not None:
            query = query.where(condition(table))
        rows = list(query.order_by(table.id).limit(BATCH).dicts())
        for row in rows:
            text = {column: row[column] or "" for column in columns}
            if learn:
                names[row["id"]] = found_names(text.values())
            _store(table, row["id"], columns, text, redact_fields(text, names.get(case_of(row), ()))[0])
        if len(rows) < BATCH:
            return
        last = rows[-1]["id"]


def _store(table, row_id, columns, text, redacted):
    changed = {getattr(table, c): redacted[c][:limit] if limit else redacted[c]
               for c, limit in columns.items() if redacted[c] != text[c]}
    if changed:
        table.update(changed).where(table.id == row_id).execute()
