"""Stored text loses the control characters the model fields now keep out
(learning.plain_text): a title or a name with a line break made feeds, single-event
downloads and RSVPs fail, and could reach mail headers and CSV cells.

Single-line columns fold each run of control characters into one space; prose
columns keep line breaks and tabs and drop the rest. Only rows that change are
written. A folded value that collides with a unique one ("A\\nB" beside "A B")
gets a number, so the migration never stops on a duplicate.
"""
import re

LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
PROSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")

# The columns people and imports write, as the models held them at this migration.
SINGLE_LINE = {
    "team": ("name",), "user": ("email", "display_name"), "competency": ("name", "area"),
    "series": ("title", "location", "video_url"), "session": ("location", "video_url"),
    "case": ("title",), "takeaway": ("principle",), "plan_template": ("name",), "template_action": ("title",),
    "plan": ("title",), "action": ("title", "completed_by"), "check_in": ("video_url",),
    "checkin_agenda_item": ("text",), "rating": ("evidence_url",), "module": ("title", "area"),
    "unit": ("title", "exercise"), "cohort": ("title",), "notification": ("text", "link"),
    "outbox_message": ("to_address", "subject", "link"), "feed_token": ("last_user_agent",),
    "measure_definition": ("label", "unit"),
}
UNIQUE = {("team", "name"), ("user", "email"), ("competency", "name"), ("plan_template", "name"),
          ("module", "title")}
PROSE_COLUMNS = {
    "audit_entry": ("summary",), "competency": ("description",), "competency_level": ("descriptor",),
    "series": ("description",), "session_feedback": ("comment",),
    "case": ("customer_need", "actions", "outcome", "ask"), "comment": ("body",),
    "takeaway": ("what_worked", "do_differently"), "plan_template": ("description",),
    "template_goal": ("what_good_looks_like",), "plan": ("acknowledgement_comment",),
    "support_request": ("description", "answer"), "goal": ("what_good_looks_like",),
    "check_in": ("agreed_actions", "acknowledgement_comment"), "check_in_note": ("body",),
    "rating": ("evidence",), "module": ("summary",), "unit": ("material",), "enrolment": ("override_note",),
    "completion": ("note",), "outbox_message": ("body",),
}


def upgrade(db, migrator):
    for table, columns in SINGLE_LINE.items():
        for column in _present(db, table, columns):
            _clean(db, table, column, lambda text: LINE.sub(" ", text), LINE, (table, column) in UNIQUE)
    for table, columns in PROSE_COLUMNS.items():
        for column in _present(db, table, columns):
            _clean(db, table, column, lambda text: PROSE.sub("", text), PROSE, False)


def _present(db, table, columns):
    """The columns still in the table: a later migration (0025) drops some feed_token columns,
    and this one must also clean a database that is already past it."""
    existing = {column.name for column in db.get_columns(table)}
    return [column for column in columns if column in existing]


def _clean(db, table, column, clean, pattern, unique):
    rows = db.execute_sql(f'SELECT "id", "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()
    for row_id, value in rows:
        if not pattern.search(value):
            continue
        new = clean(value)
        if unique:
            new = _free_value(db, table, column, new)
        db.execute_sql(f'UPDATE "{table}" SET "{column}" = %s WHERE "id" = %s'.replace("%s", db.param),
                       (new, row_id))


def _free_value(db, table, column, value):
    candidate, number = value, 1
    while db.execute_sql(f'SELECT 1 FROM "{table}" WHERE "{column}" = {db.param}', (candidate,)).fetchone():
        number += 1
        candidate = f"{value} ({number})"
    return candidate
