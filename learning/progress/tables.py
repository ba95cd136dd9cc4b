"""A table as the progress pages show it: a title, headers and rows of plain
values. The same object renders as HTML, as a chart's data table and as CSV,
so an export always holds what the page shows, with the same filters."""
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape

from learning.csv_files import cell_text
from learning.web import time_tag


@dataclass
class Table:
    name: str                 # the `?table=` of its CSV export
    title: str
    headers: list
    rows: list = field(default_factory=list)
    numeric: tuple = ()       # indexes of right-aligned columns
    heat: tuple = ()          # indexes of columns shown as heat-map cells (levels 1-5)
    page_limit: int = None    # rows shown on the page (the CSV export holds every row)
    page_order: str = ""      # which rows come first, said under a shortened table

    @property
    def page_rows(self):
        return self.rows if self.page_limit is None else self.rows[:self.page_limit]

    @property
    def rows_not_shown(self):
        return len(self.rows) - len(self.page_rows)

    def is_numeric(self, index):
        return index in self.numeric

    def body_rows(self):
        """Each shown row's cells as HTML: the first a row header, the others labelled with their
        column for the narrow layout. Written here rather than cell by cell in the template: a
        team's member table has ~1,200 cells, and Jinja's loop, tests and escaping per cell made
        the page's tables 12 ms of its 58 ms of CPU (bench scale 1, SQLite)."""
        tags = [('<th scope="row">', "</th>")]
        for i, header in enumerate(self.headers[1:], start=1):
            classes = ' class="num heat-cell"' if i in self.heat else ' class="num"' if i in self.numeric else ""
            tags.append((f'<td{classes} data-label="{escape(header)}">', "</td>"))
        return [Markup("".join(f"{opening}{self._cell(i, value)}{closing}"
                               for i, (value, (opening, closing)) in enumerate(zip(row, tags))))
                for row in self.page_rows]

    def _cell(self, index, value):
        if value is None:
            return '<span class="muted">–</span>'
        if isinstance(value, datetime):
            return time_tag(value, "%d %b %Y")
        if index in self.heat:
            return f'<span class="heat {heat_class(value)}">{escape(value)}</span>'
        if isinstance(value, float):
            return f"{value:.1f}"
        return escape(value)


def heat_class(level, top=5):
    """The CSS class of a heat-map cell: heat-0 (no rating) to heat-5 (the top level)."""
    if level is None:
        return "heat-0"
    level = min(max(level, 1), top)
    return f"heat-{round(1 + (level - 1) * 4 / (top - 1)) if top > 1 else 3}"


MIN_PEOPLE = 5
SUPPRESSED = "fewer than 5 people"


def shown(value, people):
    """The value when it covers no one or enough people to keep anyone from being singled out."""
    return value if people == 0 or people >= MIN_PEOPLE else SUPPRESSED


def format_cell(value):
    """A cell as CSV text: averages to one decimal, times in the viewer's zone, named."""
    if isinstance(value, float):
        return f"{value:.1f}"
    return cell_text(value)


def csv_rows(table):
    """The table's rows as CSV cells, every row (not only those the page shows)."""
    return ([format_cell(value) for value in row] for row in table.rows)
