"""`flask --app learning send-mail`: the mail worker (a loop, or `--once` from cron)."""
import logging
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from learning.db import db, utcnow
from learning.notify import outbox, reminders
from learning.notify.leases import worker_name
from learning.notify.signals import worker_round
from learning.wording import count_of

log = logging.getLogger("learning.notify.worker")


def run_once(force_digest=False):
    """Queue due reminders and digests, send what is due, then let other outboxes (webhooks and
    chat posts) deliver theirs. Returns mails sent."""
    db.connect(reuse_if_open=True)
    try:
        reminders.queue_reminders()
        reminders.queue_digests(force=force_digest)
        sent = outbox.send_due()
        worker_round.send(worker_name(), now=utcnow())
        return sent
    finally:
        db.close()


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due and exit (for cron).")
@click.option("--digest", is_flag=True, help="Queue today's digests now, whatever the hour.")
@with_appcontext
def send_mail_command(once, digest):
    """Send queued mail, reminders and digests."""
    if once:
        click.echo(f"Sent {count_of(run_once(force_digest=digest), 'mail')}.")
        return
    interval = current_app.config["MAIL_POLL_SECONDS"]
    click.echo(f"Sending mail every {interval} s; stop with Ctrl-C.")
    try:
        while True:
            try:
                run_once(force_digest=digest)
            except Exception:  # a database hiccup must not end the worker
                log.exception("Mail worker round failed; trying again shortly")
            digest = False
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")
