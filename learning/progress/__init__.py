"""Progress: personal, team and programme views over time, service measures
beside learning, server-rendered charts and CSV exports."""
import os
import time

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from learning.db import db
from learning.progress.access import coached_teams
from learning.progress.measure_imports import import_file, plan_import
from learning.progress.measures import ImportResult, decode_upload
from learning.progress.rebuild import rebuild
from learning.progress.tables import heat_class
from learning.refusals import Refused
from learning.templating import NavItem, add_nav_item

progress_cli = AppGroup("progress", help="Progress figures and service measures.")


@progress_cli.command("rebuild")
def rebuild_command():
    """Count the monthly progress summary for team and programme pages (run hourly or nightly)."""
    started = time.perf_counter()
    with db.connection_context():
        counted = rebuild(current_app.config["LEARNING_TIMEZONE"])
    for zone, rows in counted.items():
        click.echo(f"  {zone}: {rows} person-months")
    click.echo(f"Progress summary rebuilt for {len(counted)} time zones in {time.perf_counter() - started:.1f} s.")


@progress_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only say what the import would change.")
def import_command(path, dry_run):
    """Import service measures from a CSV file, as the admin page does (logged, undoable there)."""
    result = ImportResult()
    with open(path, "rb") as handle:
        text = decode_upload(handle.read(), result)
    with db.connection_context():
        plan = plan_import(text) if text is not None else None
        if plan is not None and plan.ok and not dry_run:
            try:
                plan, record = import_file(text, os.path.basename(path))
            except Refused as error:
                raise click.ClickException(str(error))
    for problem in (plan.result if plan else result).errors:
        click.echo(f"line {problem.line or 'file'}{', ' + problem.column if problem.column else ''}: "
                   f"{problem.message}", err=True)
    if plan is None or not plan.ok:
        raise click.ClickException("Nothing was imported.")
    click.echo(f"{'Would import' if dry_run else 'Imported'} {plan.months}: {len(plan.new)} new, "
               f"{len(plan.changed)} changed, {plan.unchanged} unchanged values.")


def progress_link(user):
    """A coach's "Progress" opens the first team they coach; others their own progress."""
    teams = [] if user.is_admin else coached_teams(user)
    return url_for("progress.team", team_id=teams[0].id) if teams else url_for("progress.mine")


def register(app):
    app.cli.add_command(progress_cli)
    app.jinja_env.globals["heat_class"] = heat_class

    add_nav_item(app, NavItem("Progress", "progress.mine", order=70, link=progress_link, also=("progress.team",)))
    add_nav_item(app, NavItem("Programme results", "progress.programme", role="admin", order=85,
                              prefix="/progress/programme", group="Admin"))
