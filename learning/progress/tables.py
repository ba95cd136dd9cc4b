"""A table as the progress pages show it: a title, headers and rows of plain
values. The same object renders as HTML, as a chart's data table and as CSV,
so an export always holds what the page shows, with the same filters."""
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from learning.csv_files import defuse_cell
from learning.web import format_local


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

    @property
    def cell_tags(self):
        """Each column's body cell as (opening tag, closing tag): the first a row header, the
        others labelled with their column for the narrow layout. Built once per table, not per
        cell: a team's member table has ~1,000 cells, and escaping each cell's label and picking
        its classes in the template was 4 ms of the page's 68 ms (CPU, bench scale 1, SQLite)."""
        tags = [(Markup('<th scope="row">'), Markup("</th>"))]
        for i, header in enumerate(self.headers[1:], start=1):
            classes = "num heat-cell" if i in self.heat else "num" if i in self.numeric else ""
            opening = Markup('<td{} data-label="{}">').format(Markup(' class="{}"').format(classes) if classes else "",
                                                              header)
            tags.append((opening, Markup("</td>")))
        return tags


MIN_PEOPLE = 5
SUPPRESSED = "fewer than 5 people"


def shown(value, people):
    """The value when it covers no one or enough people to keep anyone from being singled out."""
    return value if people == 0 or people >= MIN_PEOPLE else SUPPRESSED


def format_cell(value, zone_name=None):
    """A cell as CSV text; times in the viewer's zone, named."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_local(value, "%Y-%m-%d %H:%M", zone_name)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def to_csv(table, zone_name=None):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([defuse_cell(format_cell(v, zone_name)) for v in row])
    return out.getvalue()
