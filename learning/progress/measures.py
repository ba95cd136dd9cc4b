"""Service measures: reading and checking the CSV import (every line and cell checked
before anything is written; see measure_imports.py for the preview, the write and undo).

CSV shape: a header `email,month,<measure>,...` where each measure column is
the `name` of an active MeasureDefinition (e.g. csat, fcr, quality); `month`
is YYYY-MM; an empty cell means "no value in this file": the stored value, if
any, stays as it is.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from learning.accounts.models import User
from learning.csv_files import NotUtf8, Problem, decode_utf8
from learning.progress.models import MeasureDefinition

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000


class Value(NamedTuple):
    """One cell of the file: a person's value of a measure for a month."""
    user: User
    month: date
    measure: MeasureDefinition
    value: float


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)     # Problem
    months: list = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self):
        return not self.errors

    def refuse(self, line, message, column=""):
        self.errors.append(Problem(line, column, message))


def measure_definitions():
    return list(MeasureDefinition.select().where(MeasureDefinition.active == True)  # noqa: E712
                .order_by(MeasureDefinition.position, MeasureDefinition.id))


def parse_month(text):
    """'2026-03' -> date(2026, 3, 1); None when it is not a month."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def decode_upload(data, result):
    """The text of an uploaded file (UTF-8, with or without a byte-order mark), or None
    after noting where it is not UTF-8."""
    if len(data) > MAX_IMPORT_BYTES:
        result.refuse(0, f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB.")
        return None
    try:
        return decode_utf8(data)
    except NotUtf8 as error:
        result.refuse(error.line, "The file is not UTF-8 text (save it as \u201cCSV UTF-8\u201d and try again).")
        return None


def _read_header(reader, definitions, result):
    header = [name.strip().lower() for name in next(reader, [])]
    if header[:2] != ["email", "month"]:
        result.refuse(1, "The first line must start with the columns email,month.")
        return None
    columns = header[2:]
    for name in columns:
        if name not in definitions:
            result.refuse(1, f"Unknown measure column {name or '(empty)'}. Known: {', '.join(definitions)}.", name)
    if not columns:
        result.refuse(1, "Add at least one measure column.")
    if len(set(columns)) != len(columns):
        result.refuse(1, "A measure column appears twice.")
    return None if result.errors else columns


def _parse_value(text, definition):
    value = float(text.replace(",", ".")) if text else None
    if value is not None and not (definition.min_value <= value <= definition.max_value):
        raise ValueError(f"{definition.name} must be between {definition.min_value:g} and {definition.max_value:g}")
    return value


def _check_line(line_no, cells, columns, definitions, people, seen, result):
    """The Values of one line, or None after noting its problems by column."""
    if len(cells) != len(columns) + 2:
        result.refuse(line_no, f"Expected {len(columns) + 2} columns, found {len(cells)}.")
        return None
    email, month_text, *texts = (cell.strip() for cell in cells)
    problems = len(result.errors)
    user = people.get(email.lower())
    if user is None:
        result.refuse(line_no, f"No active person with the e-mail address {email or '(empty)'}.", "email")
    month = parse_month(month_text)
    if month is None:
        result.refuse(line_no, f"Month '{month_text}' is not a month like 2026-03.", "month")
    values = []
    for name, text in zip(columns, texts):
        try:
            value = _parse_value(text, definitions[name])
        except ValueError as error:
            message = str(error)
            result.refuse(line_no, message if "between" in message else f"'{text}' is not a number.", name)
            continue
        if value is not None:
            values.append((definitions[name], value))
    if user and month and (user.id, month) in seen:
        result.refuse(line_no, f"{email} appears twice for {month:%Y-%m} (first on line {seen[(user.id, month)]}).",
                      "email")
    if len(result.errors) > problems:
        return None
    seen[(user.id, month)] = line_no
    return [Value(user, month, definition, value) for definition, value in values]


def check_import(text):
    """Read and check a whole CSV; returns (ImportResult, the Values it holds)."""
    result = ImportResult()
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        result.refuse(0, f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB.")
        return result, []
    definitions = {d.name: d for d in measure_definitions()}
    reader = csv.reader(io.StringIO(text))
    try:
        columns = _read_header(reader, definitions, result)
        lines = [(n, cells) for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    except csv.Error as error:
        result.refuse(reader.line_num, f"The CSV cannot be read: {error}.")
        return result, []
    if columns is None:
        return result, []
    if len(lines) > MAX_IMPORT_ROWS:
        result.refuse(0, f"At most {MAX_IMPORT_ROWS} lines per import; this file has {len(lines)}.")
        return result, []
    if not lines:
        result.refuse(2, "The file has no lines of values.")
    emails = {cells[0].strip().lower() for _, cells in lines if cells}
    people = {u.email: u for u in User.select().where(User.email.in_(list(emails)), User.active == True)}  # noqa: E712
    values, seen = [], {}
    for line_no, cells in lines:
        values.extend(_check_line(line_no, cells, columns, definitions, people, seen, result) or [])
    result.rows = len(lines)
    result.months = sorted({month for (_, month) in seen})
    return result, values


# --- a batch of values (the API) ------------------------------------------------------

MAX_BATCH_ITEMS = 1000


def check_items(items):
    """Check a batch of {person, month, measure, value} items (person: an e-mail address or an
    employee id) with the file's rules; returns (ImportResult with problems by item index
    (`line`) and field (`column`), the Values). Nothing is stored here."""
    result = ImportResult()
    if not isinstance(items, list) or not items:
        result.refuse(0, "Send a non-empty list of items.", "items")
        return result, []
    if len(items) > MAX_BATCH_ITEMS:
        result.refuse(0, f"At most {MAX_BATCH_ITEMS} items per request; this one has {len(items)}.", "items")
        return result, []
    definitions = {d.name: d for d in measure_definitions()}
    people = _people_for(items)
    values, seen = [], {}
    for index, item in enumerate(items):
        value = _check_item(index, item, definitions, people, result)
        if value is None:
            continue
        key = (value.user.id, value.month, value.measure.id)
        if key in seen:
            result.refuse(index, f"Item {seen[key]} already gives this person's {value.measure.name} for "
                                 f"{value.month:%Y-%m}.", "measure")
            continue
        seen[key] = index
        values.append(value)
    result.rows = len(items)
    result.months = sorted({value.month for value in values})
    return result, values


def _text(item, key):
    value = item.get(key) if isinstance(item, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _people_for(items):
    """{email or employee id: active User} for every person the items name, in one query."""
    keys = {_text(item, "person") for item in items} - {""}
    emails = [key.lower() for key in keys if "@" in key]
    employee_ids = [key for key in keys if "@" not in key]
    if not keys:
        return {}
    query = User.select().where((User.email.in_(emails) | User.employee_id.in_(employee_ids)),
                                User.active == True)  # noqa: E712
    people = {}
    for user in query:
        people[user.email] = user
        if user.employee_id:
            people[user.employee_id] = user
    return people


def _check_item(index, item, definitions, people, result):
    """The Value of one item, or None after noting its problems by field."""
    if not isinstance(item, dict):
        result.refuse(index, "Each item is an object with person, month, measure and value.", "")
        return None
    problems = len(result.errors)
    person = _text(item, "person")
    user = people.get(person.lower() if "@" in person else person)
    if user is None:
        result.refuse(index, f"No active person with the e-mail address or employee id {person or '(empty)'}.",
                      "person")
    month = parse_month(_text(item, "month"))
    if month is None or len(_text(item, "month")) != 7:
        result.refuse(index, "Give the month like 2026-03.", "month")
    definition = definitions.get(_text(item, "measure").lower())
    if definition is None:
        result.refuse(index, f"Unknown measure. Known: {', '.join(definitions)}.", "measure")
    number = item.get("value")
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number:
        result.refuse(index, "Give the value as a number.", "value")
    elif definition is not None and not (definition.min_value <= number <= definition.max_value):
        result.refuse(index, f"{definition.name} must be between {definition.min_value:g} and "
                             f"{definition.max_value:g}.", "value")
    if len(result.errors) > problems:
        return None
    return Value(user, month, definition, float(number))
