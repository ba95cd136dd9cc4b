"""Service measures: the CSV import (every line checked, all-or-nothing write,
re-importing a month replaces that month) and reading the values back.

CSV shape: a header `email,month,<measure>,...` where each measure column is
the `name` of an active MeasureDefinition (e.g. csat, fcr, quality); `month`
is YYYY-MM; an empty cell means "no value this month".
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from learning.accounts.models import User
from learning.db import db, utcnow
from learning.progress.models import MeasureDefinition, ServiceMeasure

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)     # (line number, message)
    months: list = field(default_factory=list)
    rows: int = 0
    values: int = 0

    @property
    def ok(self):
        return not self.errors


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


def _read_header(reader, definitions, result):
    header = [name.strip().lower() for name in next(reader, [])]
    if header[:2] != ["email", "month"]:
        result.errors.append((1, "The first line must start with the columns email,month."))
        return None
    columns = header[2:]
    unknown = [name for name in columns if name not in definitions]
    if unknown:
        result.errors.append((1, f"Unknown measure column(s): {', '.join(unknown)}. "
                                 f"Known: {', '.join(definitions)}."))
    if not columns:
        result.errors.append((1, "Add at least one measure column."))
    if len(set(columns)) != len(columns):
        result.errors.append((1, "A measure column appears twice."))
    return None if result.errors else columns


def _parse_value(text, definition):
    value = float(text.replace(",", ".")) if text else None
    if value is not None and not (definition.min_value <= value <= definition.max_value):
        raise ValueError(f"{definition.name} must be between {definition.min_value:g} and {definition.max_value:g}")
    return value


def _check_line(line_no, cells, columns, definitions, people, seen, result):
    """The (user, month, {measure: value}) of one line, or None after noting its errors."""
    if len(cells) != len(columns) + 2:
        result.errors.append((line_no, f"Expected {len(columns) + 2} columns, found {len(cells)}."))
        return None
    email, month_text, *values = (cell.strip() for cell in cells)
    problems = []
    user = people.get(email.lower())
    if user is None:
        problems.append(f"No active person with the e-mail address {email or '(empty)'}.")
    month = parse_month(month_text)
    if month is None:
        problems.append(f"Month '{month_text}' is not a month like 2026-03.")
    parsed = {}
    for name, text in zip(columns, values):
        try:
            parsed[name] = _parse_value(text, definitions[name])
        except ValueError as error:
            message = str(error)
            problems.append(message if "between" in message else f"{name}: '{text}' is not a number.")
    if user and month and (user.id, month) in seen:
        problems.append(f"{email} appears twice for {month:%Y-%m} (first on line {seen[(user.id, month)]}).")
    if problems:
        result.errors.extend((line_no, p) for p in problems)
        return None
    seen[(user.id, month)] = line_no
    return user, month, parsed


def check_import(text):
    """Read and check a whole CSV; returns (ImportResult, rows to write)."""
    result = ImportResult()
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        result.errors.append((0, f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB."))
        return result, []
    definitions = {d.name: d for d in measure_definitions()}
    reader = csv.reader(io.StringIO(text))
    try:
        columns = _read_header(reader, definitions, result)
        lines = [(n, cells) for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    except csv.Error as error:
        result.errors.append((reader.line_num, f"The CSV cannot be read: {error}."))
        return result, []
    if columns is None:
        return result, []
    if len(lines) > MAX_IMPORT_ROWS:
        result.errors.append((0, f"At most {MAX_IMPORT_ROWS} lines per import; this file has {len(lines)}."))
        return result, []
    if not lines:
        result.errors.append((2, "The file has no lines of values."))
    emails = {cells[0].strip().lower() for _, cells in lines if cells}
    people = {u.email: u for u in User.select().where(User.email.in_(list(emails)), User.active == True)}  # noqa: E712
    rows, seen = [], {}
    for line_no, cells in lines:
        checked = _check_line(line_no, cells, columns, definitions, people, seen, result)
        if checked:
            user, month, parsed = checked
            rows.extend({"user": user.id, "month": month, "measure": definitions[name].id, "value": value}
                        for name, value in parsed.items() if value is not None)
    result.rows = len(lines)
    result.months = sorted({month for (_, month) in seen})
    return result, rows


def import_measures(text):
    """Check every line; write nothing unless all are valid. The months in the
    file replace what was imported for those months before."""
    result, rows = check_import(text)
    if not result.ok:
        return result
    now = utcnow()
    with db.atomic():
        ServiceMeasure.delete().where(ServiceMeasure.month.in_(result.months)).execute()
        for start in range(0, len(rows), 500):
            ServiceMeasure.insert_many([dict(r, imported_at=now) for r in rows[start:start + 500]]).execute()
    result.values = len(rows)
    return result
