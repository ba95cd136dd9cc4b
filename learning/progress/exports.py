"""CSV exports of the tables a progress page shows (`?format=csv&table=<name>`)."""
from flask import Response, abort, request

from learning.progress.charts import Chart
from learning.progress.tables import Table, to_csv
from learning.web import viewer_zone


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
    """The named table as a CSV download when `?format=csv`, else None."""
    if request.args.get("format") != "csv":
        return None
    table = page_tables(context).get(request.args.get("table", ""))
    if table is None:
        abort(404)
    response = Response(to_csv(table, viewer_zone()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{table.name}.csv"'
    return response
