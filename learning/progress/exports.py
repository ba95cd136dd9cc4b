"""CSV exports of the tables a progress page shows (`?format=csv&table=<name>`)."""
from flask import abort, request

from learning.csv_files import csv_response, wants_csv
from learning.progress.charts import Chart
from learning.progress.tables import Table, csv_rows


def page_tables(context):
    """Every Table in a page's context, charts' data tables included, by name."""
    found = {}

    def visit(value):
        if isinstance(value, Table):
            found.setdefault(value.name, value)
        elif isinstance(value, Chart):
            visit(value.table)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)

    for value in context.values():
        visit(value)
    return found


def csv_response_if_asked(context, stem):
    """The named table as a streamed CSV download when `?format=csv`, else None."""
    if not wants_csv():
        return None
    table = page_tables(context).get(request.args.get("table", ""))
    if table is None:
        abort(404)
    return csv_response(f"{stem}-{table.name}.csv", table.headers, csv_rows(table))
