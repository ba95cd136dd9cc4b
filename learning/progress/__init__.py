"""Progress: personal, team and programme views over time, service measures
beside learning, server-rendered charts and CSV exports."""


def register(app):
    from learning.progress import subscribers
    from learning.progress.charts import heat_class
    from learning.progress.tables import rows_html
    from learning.templating import NavItem, add_nav_item

    subscribers.connect()  # blinker ignores a second connection of the same receiver
    app.cli.add_command(recount_command)
    app.cli.add_command(warm_command)
    app.cli.add_command(import_command)
    app.jinja_env.globals["heat_class"] = heat_class
    app.jinja_env.globals["progress_rows"] = rows_html

    add_nav_item(app, NavItem("Progress", "progress.mine", order=70))
    add_nav_item(app, NavItem("Programme results", "progress.programme", role="admin", order=85,
                              prefix="/progress/programme"))


def _recount():
    """Forget every stored month of the progress roll-up: the next views count from the raw rows."""
    from learning.db import db
    from learning.progress.models import MonthFigures

    with db.atomic():
        return MonthFigures.delete().execute()


def _command():
    import click
    from flask.cli import with_appcontext

    @click.command("progress-recount")
    @with_appcontext
    def recount():
        """Forget the progress roll-up (after data changed behind the app's back, e.g. a direct edit)."""
        click.echo(f"Forgot {_recount()} stored month figures; pages count them again when next viewed.")
    return recount


recount_command = _command()


def _warm_command():
    import click
    from flask.cli import with_appcontext

    @click.command("progress-warm")
    @with_appcontext
    def warm():
        """Fill the progress roll-up for every team and the programme (run nightly)."""
        from learning.db import db
        from learning.progress.warming import warm_rollup

        with db.connection_context():
            click.echo(f"Progress roll-up filled for {warm_rollup()} views.")
    return warm


warm_command = _warm_command()


def _import_command():
    import click
    from flask.cli import with_appcontext

    @click.command("progress-import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Only say what the import would change.")
    @with_appcontext
    def import_measures(path, dry_run):
        """Import service measures from a CSV file, as the admin page does (logged, undoable there)."""
        import os

        from learning.db import db
        from learning.progress.measure_imports import import_file, plan_import
        from learning.refusals import Refused
        from learning.progress.measures import ImportResult, decode_upload

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
    return import_measures


import_command = _import_command()
