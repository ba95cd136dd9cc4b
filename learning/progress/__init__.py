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
