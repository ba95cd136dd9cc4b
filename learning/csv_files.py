"""CSV files in and out: reading an upload as UTF-8 (with or without a byte-order mark),
naming a problem by line and column, and keeping a spreadsheet from running an exported
cell as a formula."""
from typing import NamedTuple


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
