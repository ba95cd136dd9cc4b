"""A table as the progress pages show it: a title, headers and rows of plain
values. The same object renders as HTML, as a chart's data table and as CSV,
so an export always holds what the page shows, with the same filters."""
from dataclasses import dataclass, field

from learning.csv_files import cell_text


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
    def cell_classes(self):
        """The CSS classes of each column's body cells ("" for none)."""
        return ["" if i == 0 else "num heat-cell" if i in self.heat else "num" if i in self.numeric else ""
                for i in range(len(self.headers))]


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
