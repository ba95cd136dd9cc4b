"""Reading a people file (the HR list as CSV) and checking every cell of it on its own.

What a line means against the people already stored (create, update, unchanged, a
coach nobody knows) is `people_import.py`'s job; here each line becomes a `Line` or
problems named by line and column. Columns are matched by header name, whatever
their case and order; columns not named here are ignored.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from email_validator import EmailNotValidError, validate_email

from learning.accounts.models import ROLES
from learning.csv_files import NotUtf8, Problem, decode_utf8
from learning.plain_text import has_control_characters
from learning.timezones import is_valid_zone

REQUIRED = ("email", "name", "team", "role", "timezone")
OPTIONAL = ("coach", "employee_id", "start_date")
MAX_LINES = 20000
LIMITS = {"email": 254, "name": 100, "team": 100, "coach": 254, "timezone": 64, "employee_id": 64}


class Line(NamedTuple):
    """One person as the file has them. `employee_id`, `start_date`: None when not given."""
    number: int
    email: str
    name: str
    team: str
    role: str
    coach: str
    timezone: str
    employee_id: str
    start_date: date


@dataclass
class PeopleFile:
    lines: list = field(default_factory=list)       # Line, each cell valid
    problems: list = field(default_factory=list)    # Problem
    teams_named: list = field(default_factory=list)  # (line, team, coach) of lines refused here, still checked
    readable: bool = True                           # False: not UTF-8, a bad header, or nobody in it

    def refuse_file(self, line, message, column=""):
        self.readable = False
        self.refuse(line, message, column)

    def refuse(self, line, message, column=""):
        self.problems.append(Problem(line, column, message))


def read_people_bytes(data):
    """A PeopleFile from the bytes of an upload: UTF-8, with or without a byte-order mark."""
    try:
        text = decode_utf8(data)
    except NotUtf8 as error:
        found = PeopleFile()
        found.refuse_file(error.line, f"{error} Other encodings (Latin-1, Windows-1252, UTF-16) are not read.")
        return found
    return read_people(text)


def read_people(text):
    """A PeopleFile: every line checked on its own, duplicates within the file named."""
    found = PeopleFile()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    columns = _read_header(next(reader, []), found)
    if columns is None:
        return found
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(found.lines) + len(found.problems) >= MAX_LINES:
            found.refuse_file(reader.line_num, f"The file has more than {MAX_LINES} people; split it.")
            break
        line = _read_line(reader.line_num, cells, columns, found)
        if line is not None:
            found.lines.append(line)
    _refuse_duplicates(found)
    if not found.lines and not found.problems:
        found.refuse_file(0, "The file lists nobody: add a line per person under the header.")
    return found


def _read_header(header, found):
    """{column name: index} of the known columns, or None after noting what is missing."""
    names = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        found.refuse_file(1, f"The first line must name the columns {', '.join(REQUIRED)} (missing: "
                        f"{', '.join(missing)}); coach, employee_id and start_date may follow.")
        return None
    repeated = sorted({name for name in names if name in REQUIRED + OPTIONAL and names.count(name) > 1})
    if repeated:
        found.refuse_file(1, f"The column {repeated[0]} is named twice.", repeated[0])
        return None
    return {name: names.index(name) for name in REQUIRED + OPTIONAL if name in names}


def _read_line(number, cells, columns, found):
    before = len(found.problems)
    value = {name: (cells[index].strip() if index < len(cells) else "") for name, index in columns.items()}
    for name, text in value.items():
        if has_control_characters(text):
            found.refuse(number, "Keep this cell to one line, without tabs or control characters.", name)
        elif len(text) > LIMITS.get(name, 100):
            found.refuse(number, f"Keep this under {LIMITS.get(name, 100)} characters.", name)
    email = _checked_email(number, value["email"], found)
    if not value["name"]:
        found.refuse(number, "Enter the person's name.", "name")
    role = value["role"].lower()
    if role not in ROLES:
        found.refuse(number, f"Invalid role \u201c{value['role']}\u201d: use agent, coach or admin.", "role")
    if not is_valid_zone(value["timezone"]):
        found.refuse(number, f"Unknown time zone \u201c{value['timezone']}\u201d: use a name such as Europe/Berlin.",
                     "timezone")
    coach = _checked_coach(number, value, found)
    start = _checked_date(number, value.get("start_date", ""), found)
    if len(found.problems) > before:
        found.teams_named.append((number, value["team"], coach if value["team"] else ""))
        return None
    return Line(number, email, value["name"], value["team"], role, coach, value["timezone"],
                value.get("employee_id") or None, start)


def _checked_email(number, text, found):
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        found.refuse(number, f"Invalid e-mail address \u201c{text}\u201d." if text else "Enter an e-mail address.",
                     "email")
        return None


def _checked_coach(number, value, found):
    coach = value.get("coach", "").lower()
    if coach and not value["team"]:
        found.refuse(number, "A coach coaches a team: give the team too, or leave the coach empty.", "coach")
    return coach


def _checked_date(number, text, found):
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not date(1950, 1, 1) <= day <= date(2100, 12, 31):
        found.refuse(number, f"Invalid start date \u201c{text}\u201d: write it as YYYY-MM-DD.", "start_date")
        return None
    return day


def _refuse_duplicates(found):
    """A person twice in the file: the later line is refused, naming the earlier one."""
    kept, seen = [], {}
    for line in found.lines:
        clash = None
        for column, key in (("email", line.email), ("employee_id", line.employee_id)):
            if key is None:
                continue
            first = seen.setdefault((column, key.lower()), line.number)
            if first != line.number and clash is None:
                clash = column
                found.refuse(line.number, f"Duplicate within the file: line {first} has this {column} too.", column)
        if clash is None:
            kept.append(line)
    found.lines = kept
    found.problems.sort(key=lambda problem: problem.line)
