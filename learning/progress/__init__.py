"""Progress: personal, team and programme views over time, service measures
beside learning, server-rendered charts and CSV exports."""
import time
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

progress_cli = AppGroup("progress", help="Progress figures.")


@progress_cli.command("rebuild")
def rebuild_command():
    """Count the monthly progress summary for team and programme pages (run hourly or nightly)."""
    from learning.db import db
    from learning.progress.rebuild import rebuild

    started = time.perf_counter()
    with db.connection_context():
        counted = rebuild(current_app.config["LEARNING_TIMEZONE"])
    for zone, rows in counted.items():
        click.echo(f"  {zone}: {rows} person-months")
    click.echo(f"Progress summary rebuilt for {len(counted)} time zones in {time.perf_counter() - started:.1f} s.")


def register(app):
    from learning.progress.charts import heat_class
    from learning.templating import NavItem, add_nav_item

    app.cli.add_command(progress_cli)
    app.jinja_env.globals["heat_class"] = heat_class
    app.jinja_env.tests["datetime"] = lambda value: isinstance(value, datetime)   # table cells: a time tag

    add_nav_item(app, NavItem("Progress", "progress.mine", order=70))
    add_nav_item(app, NavItem("Programme results", "progress.programme", role="admin", order=85,
                              prefix="/progress/programme"))
