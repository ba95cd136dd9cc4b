"""Builds a mail from an outbox row (plain text, HTML, and a text/calendar part
with its iTIP method) and hands it to SMTP, or to the log when no MAIL_SERVER
is configured.
"""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from html import escape

from flask import current_app, url_for

from learning.notify.kinds import KINDS
from learning.notify.tokens import unsubscribe_token

DIGEST_LABEL = "your daily digest"

log = logging.getLogger("learning.notify.mail")


def absolute_url(path):
    base = (current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    return base + path if path.startswith("/") else path


def sender_domain():
    address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    return address.rpartition("@")[2] or "localhost"


def _unsubscribe_url(message):
    if message.user_id is None or (message.kind not in KINDS and message.kind != "digest"):
        return None
    with current_app.test_request_context():
        path = url_for("notify.unsubscribe", token=unsubscribe_token(message.user_id, message.kind))
    return absolute_url(path)


def build_message(message):
    """The MIME message for an outbox row. Its Message-ID is fixed by the row,
    so a resend after a crash is recognisable as the same message."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.to_address
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{sender_domain()}>"
    link = absolute_url(message.link) if message.link else None
    unsubscribe = _unsubscribe_url(message)
    if unsubscribe:
        mail["List-Unsubscribe"] = f"<{unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(_text_body(message.body, link, unsubscribe, message.kind))
    mail.add_alternative(_html_body(message.subject, message.body, link, unsubscribe, message.kind), subtype="html")
    if message.calendar:
        mail.add_alternative(message.calendar, subtype="calendar", params={"method": message.calendar_method})
    return mail


def _text_body(body, link, unsubscribe, kind):
    lines = [body, ""]
    if link:
        lines += [f"Open: {link}", ""]
    if unsubscribe:
        lines += ["--", f"You receive this because of your notice settings ({KINDS.get(kind, DIGEST_LABEL)}).",
                  f"Stop these e-mails: {unsubscribe}"]
    return "\n".join(lines) + "\n"


def _html_body(subject, body, link, unsubscribe, kind):
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in body.splitlines() if line.strip())
    parts = [f"<!doctype html><html><head><title>{escape(subject)}</title></head>"
             "<body style=\"font-family:sans-serif;max-width:40em;color:#1d2330\">",
             "<p style=\"color:#2f5d8a;font-weight:bold\">\u25c6 Support Development</p>", paragraphs]
    if link:
        parts.append(f"<p><a href=\"{escape(link)}\">Open in Support Development</a></p>")
    if unsubscribe:
        parts.append(f"<hr><p style=\"color:#666;font-size:.85em\">You receive this because of your notice "
                     f"settings ({escape(KINDS.get(kind, DIGEST_LABEL))}). <a href=\"{escape(unsubscribe)}\">Stop these e-mails</a>.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def deliver(mail):
    """Send through the configured SMTP server, or write it to the log."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("Mail (no MAIL_SERVER configured) to %s: %s\n%s", mail["To"], mail["Subject"],
                 mail.get_body(("plain",)).get_content())
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT") or 25, timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(mail)
