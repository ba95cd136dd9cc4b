"""`flask people import FILE.csv [--dry-run] [--sync] [--create-teams] [--plans-to EMAIL]`:
the people import from the command line, with the preview the page shows and a progress bar."""
import sys

import click
from flask.cli import AppGroup

from learning.accounts import people_import
from learning.accounts.people_file import read_people_bytes
from learning.accounts.service import find_user_by_email
from learning.db import db
from learning.progress_bar import ProgressBar
from learning.refusals import Refused

people_cli = AppGroup("people", help="People: import from the HR list.")
SHOWN = 20


@people_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--sync", is_flag=True, help="Active people missing from the file leave.")
@click.option("--create-teams", is_flag=True, help="Create the teams the file names that do not exist yet.")
@click.option("--plans-to", metavar="EMAIL", help="A coach who takes over leavers' open plans (default: closed).")
def import_command(path, dry_run, sync, create_teams, plans_to):
    """Create and update people from a CSV file (see docs/guide-admin.md for its columns)."""
    options = people_import.Options(sync=sync, create_teams=create_teams, plans_to=_coach_id(plans_to))
    with open(path, "rb") as handle:
        people_file = read_people_bytes(handle.read())
    with db.atomic():
        plan = people_import.plan_people(people_file, options)
        show_plan(plan)
        if not plan.ok:
            raise click.ClickException("Nothing was imported: fix the lines above first.")
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        bar = ProgressBar("people", len(plan.create) + len(plan.update) + len(plan.leavers), stream=sys.stderr)
        try:
            outcome = people_import.write(plan, None, bar.advance)
        except Refused as refusal:
            raise click.ClickException(str(refusal))
        finally:
            bar.close()
    click.echo(f"Imported: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged, "
               f"{outcome.left} left.")


def _coach_id(email):
    if not email:
        return None
    coach = find_user_by_email(email)
    if coach is None:
        raise click.BadParameter(f"nobody has the e-mail {email}", param_hint="--plans-to")
    return coach.id


def show_plan(plan):
    for problem in plan.problems:
        where = f"line {problem.line}" if problem.line else "file"
        click.echo(f"{where}{', ' + problem.column if problem.column else ''}: {problem.message}", err=True)
    if not plan.ok:
        return
    click.echo(f"To create: {len(plan.create)}; to update: {len(plan.update)}; unchanged: {plan.unchanged}"
               + (f"; leaving: {len(plan.leavers)}" if plan.options.sync else "") + ".")
    for update in plan.update[:SHOWN]:
        changes = ", ".join(f"{people_import.FIELDS[name]} {people_import.shown(old)} \u2192 {people_import.shown(new)}"
                            for name, (old, new) in update.changes.items())
        click.echo(f"  update line {update.line.number} {update.line.email}: {changes}")
    for _, name, email in plan.leavers[:SHOWN]:
        click.echo(f"  leaves: {name} <{email}>")
    if plan.new_teams:
        click.echo(f"New teams: {', '.join(plan.new_teams)}")

