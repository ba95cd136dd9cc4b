"""Measure sources: the columns of any CSV export (a helpdesk's or a QA tool's per-agent
report) mapped once to the programme's measures, and recognised by their set of column
names the next time that export is uploaded.

A source says which column names the person (an e-mail address or an employee id), which
holds the month (a month like 2026-03, or a date to take the month from), and which column
holds which measure, with an optional transform (a fraction 0-1 as percent, seconds as
minutes). An upload in a source's shape is rewritten into the import's own shape
(`email,month,<measure>...`, line for line) and then goes through measure_imports.py: the
same checks, preview, confirmation, log and undo. Problems are named by the file's own
line and column.
"""
import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import peewee as pw

from learning import staged_uploads
from learning.accounts.models import User
from learning.csv_files import Problem
from learning.db import db
from learning.plain_text import has_control_characters
from learning.progress import measure_imports
from learning.progress.measure_imports import ImportPlan
from learning.progress.measures import MAX_IMPORT_BYTES, ImportResult, decode_upload, measure_definitions, parse_month
from learning.progress.models import MeasureSource, PendingSourceUpload
from learning.refusals import Refused

PERSON_KINDS = [("email", "E-mail address"), ("employee_id", "Employee id")]
TRANSFORMS = {"": ("As in the file", lambda value: value),
              "fraction": ("A fraction 0–1, as percent (× 100)", lambda value: value * 100),
              "seconds": ("Seconds, as minutes (÷ 60)", lambda value: value / 60)}
STANDARD = ["email", "month"]
COLUMN_NAME_MAX = 200


@dataclass
class Received:
    """What an upload led to: a preview (`plan`, `token` to confirm, the `source` that
    recognised it) or, for columns no source knows, the upload kept under `mapping_token`
    until its columns are mapped."""
    plan: ImportPlan = None
    token: str = None
    source: MeasureSource = None
    mapping_token: str = None


@dataclass
class Mapping:
    """A source's mapping as the form gives it: `measures` is {measure name: (column, transform)}."""
    name: str
    person_column: str
    person_kind: str
    month_column: str
    measures: dict


def header_of(text):
    """The column names of a CSV text's first line, stripped ([] when it cannot be read)."""
    try:
        return [name.strip() for name in next(csv.reader(io.StringIO(text)), [])]
    except csv.Error:
        return []


def choosable_columns(text):
    """The columns of a CSV text a source may name, each once, in the file's order: not
    empty, one line, at most COLUMN_NAME_MAX characters (as stored)."""
    return [name for name in dict.fromkeys(header_of(text))
            if name and len(name) <= COLUMN_NAME_MAX and not has_control_characters(name)]


def header_key(columns):
    """One fingerprint per set of column names, whatever their order and case."""
    names = sorted({name.strip().lower() for name in columns if name.strip()})
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()


def is_own_shape(columns):
    """Columns the import reads itself (email, month and measure names, as its page shows),
    also when one is missing or out of place: its own check then says what is wrong."""
    names = {name.lower() for name in columns if name}
    return names <= {*STANDARD, *(d.name for d in measure_definitions())}


def source_for(columns):
    return MeasureSource.get_or_none(MeasureSource.header_key == header_key(columns))


def receive(upload, user):
    """An uploaded file: previewed as the import's own shape, or through the source that knows
    its columns, or kept until an admin maps them."""
    result = ImportResult()
    text = decode_upload(upload.read(MAX_IMPORT_BYTES + 1), result)
    if text is None:
        return Received(plan=ImportPlan(result))
    file_name, columns = upload.filename or "", header_of(text)
    if is_own_shape(columns):
        return Received(*measure_imports.stage(text, file_name, user))
    source = source_for(columns)
    if source is not None:
        return Received(*stage_through(source, text, file_name, user), source=source)
    token = staged_uploads.keep(PendingSourceUpload, user, file_name=file_name[:200], content=text)
    return Received(mapping_token=token)


def pending_for(token, user):
    """The upload `user` is mapping under `token`, or None."""
    return staged_uploads.pending_for(PendingSourceUpload, token, user)


def map_and_stage(pending, mapping, user):
    """Save the mapping of `pending`'s columns as a new source and preview the upload through it."""
    columns = header_of(pending.content)
    with db.atomic():
        source = save_source(mapping, columns, user)
        staged_uploads.claim(pending).delete_instance()
    return Received(*stage_through(source, pending.content, pending.file_name, user), source=source)


def save_source(mapping, columns, user):
    try:
        with db.atomic():
            return MeasureSource.create(
                name=mapping.name, header_key=header_key(columns), columns=json.dumps(columns),
                person_column=mapping.person_column, person_kind=mapping.person_kind,
                month_column=mapping.month_column,
                mapping=json.dumps({name: list(pair) for name, pair in mapping.measures.items()}), created_by=user)
    except pw.IntegrityError:
        if MeasureSource.get_or_none(MeasureSource.name == mapping.name) is not None:
            raise Refused("Another source has this name: choose another.", field="name") from None
        raise Refused("A source with these columns was saved meanwhile: upload the file again.") from None


def stage_through(source, text, file_name, user):
    """Rewrite `text` in the import's shape through `source` and stage it; (plan, token or None)."""
    standard, problems = rewrite(source, text)
    if problems:
        result = ImportResult(errors=problems)
        return ImportPlan(result), None
    plan, token = measure_imports.stage(standard, file_name, user)
    names = {"email": source.person_column, "month": source.month_column,
             **{name: column for name, (column, _) in measured(source).items()}}
    plan.result.errors = [problem._replace(column=names.get(problem.column, problem.column))
                          for problem in plan.result.errors]
    return plan, token


def measured(source):
    """{measure name: (column, transform)} of a source."""
    return {name: tuple(pair) for name, pair in json.loads(source.mapping).items()}


def rewrite(source, text):
    """`text` in the import's own shape, a line for each line, and the problems found on the way."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        return "", [Problem(0, "", f"The CSV cannot be read: {error}.")]
    header = [name.strip().lower() for name in rows[0]] if rows else []
    wanted = {"person": source.person_column, "month": source.month_column,
              **{name: column for name, (column, _) in measured(source).items()}}
    at = {key: header.index(column.lower()) for key, column in wanted.items() if column.lower() in header}
    missing = [column for key, column in wanted.items() if key not in at]
    if missing:
        return "", [Problem(1, column, f"The column {column} is missing.") for column in missing]
    people, problems = _people(source, rows[1:], at["person"]), []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "month", *measured(source)])
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            writer.writerow([])
            continue
        writer.writerow(_rewrite_row(source, line, row, at, people, problems))
    return out.getvalue(), problems


def _rewrite_row(source, line, row, at, people, problems):
    def cell(key):
        return row[at[key]].strip() if at[key] < len(row) else ""

    person = cell("person")
    email = people.get(person) if source.person_kind == "employee_id" else person
    if email is None:
        problems.append(Problem(line, source.person_column,
                                f"No active person with the employee id {person or '(empty)'}."))
    month = month_of(cell("month"))
    if month is None:
        problems.append(Problem(line, source.month_column,
                                f"'{cell('month')}' is neither a month like 2026-03 nor a date like 2026-03-14."))
    values = [_value(cell(name), transform) for name, (_, transform) in measured(source).items()]
    return [email or "", f"{month:%Y-%m}" if month else "", *values]


def _people(source, rows, index):
    """{employee id: e-mail} of the active people the file names by employee id."""
    if source.person_kind != "employee_id":
        return {}
    ids = list({row[index].strip() for row in rows if index < len(row) and row[index].strip()})
    found = (User.select(User.employee_id, User.email)
             .where(User.employee_id.in_(ids), User.active == True))  # noqa: E712
    return dict(found.tuples())


def month_of(text):
    """The first day of the month of '2026-03', '2026-03-14', '2026-03-14T09:00:00' or '14/03/2026'."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        return parse_month(text)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            day = datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
        return date(day.year, day.month, 1) if 2000 <= day.year <= 2100 else None
    return None


def _value(text, transform):
    """A cell's value through `transform` ('85%' and '0,85' read as numbers); text that is not
    a number goes through as it is, for the import's check to name it."""
    try:
        number = float(text.rstrip("%").strip().replace(",", "."))
    except ValueError:
        return text
    return str(round(TRANSFORMS.get(transform, TRANSFORMS[""])[1](number), 4))


# --- managing saved sources ----------------------------------------------------------------

def sources():
    return MeasureSource.select().order_by(MeasureSource.name, MeasureSource.id)


def rename(source, name):
    source.name = name
    try:
        with db.atomic():
            source.save()
    except pw.IntegrityError:
        raise Refused("Another source has this name: choose another.", field="name") from None
    return source


def delete(source):
    """Forget a source: its export is asked to be mapped again next time; imports stay."""
    source.delete_instance()
