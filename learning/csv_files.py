"""CSV files in and out: reading an upload as UTF-8 (with or without a byte-order mark),
naming a problem by line and column, keeping a spreadsheet from running an exported
cell as a formula, and the one streamed CSV download every list's export goes through
(`?format=csv` on the list's own page, so it holds what the page lists, with its filters
and its permissions)."""
import csv
import io
from datetime import datetime
from typing import NamedTuple

from flask import Response, request, stream_with_context, url_for

from learning.web import format_local

ROWS_PER_CHUNK = 200   # rows written before a chunk goes out: memory stays flat, few small writes
BOM = "\ufeff"          # Excel reads a CSV as UTF-8 only when it starts with this mark


class Problem(NamedTuple):
    """Why an imported file is refused, where: `line` 0 is the file as a whole, `column`
    "" a problem that is not one cell's."""
    line: int
    column: str
    message: str


class NotUtf8(ValueError):
    """The bytes are not UTF-8 text; `line` is where the first bad byte stands."""

    def __init__(self, line):
        super().__init__(f"The file is not UTF-8 text (line {line}): save it as \u201cCSV UTF-8\u201d and try again.")
        self.line = line


def decode_utf8(data):
    """The text of `data`, a byte-order mark dropped; NotUtf8 when it is in another encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUtf8(data[:error.start].count(b"\n") + 1) from None


def defuse_cell(text):
    """Spreadsheets run cells starting with = + - @ as formulas (OWASP "CSV injection"):
    such a text cell gets a leading quote; a number such as -3 stays as it is."""
    if text and text[0] in "=+-@" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def wants_csv():
    """Whether the page is asked for as its CSV export (`?format=csv`)."""
    return request.args.get("format") == "csv"


def export_url(**extra):
    """This page's CSV export with the page's own filters (its page number dropped); `extra`
    adds arguments such as `bom=1` or a progress table's name."""
    args = {key: value for key, value in request.args.items() if key != "page"}
    args.update(format="csv", **extra)
    return url_for(request.endpoint, **dict(request.view_args or {}, **args))


def csv_response(filename, header, rows):
    """`rows` (sequences of cells, read as the download goes out: pass a query's `.iterator()`
    or a generator) as a streamed CSV attachment named `filename`. Every cell becomes text
    (times in the viewer's zone, named) and is defused; `?bom=1` starts the file with a UTF-8
    byte-order mark for spreadsheet programs."""
    chunks = _csv_chunks(header, rows, with_bom=request.args.get("bom") == "1")
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


def cell_text(value):
    """A cell as text: nothing for None, yes/no, times in the viewer's zone with the zone named."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return format_local(value, "%Y-%m-%d %H:%M")
    return str(value)


def _csv_chunks(header, rows, with_bom):
    out = io.StringIO()
    writer = csv.writer(out)
    if with_bom:
        out.write(BOM)
    writer.writerow([defuse_cell(cell_text(cell)) for cell in header])
    for number, row in enumerate(rows, 1):
        writer.writerow([defuse_cell(cell_text(cell)) for cell in row])
        if number % ROWS_PER_CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
