"""A helpdesk ticket export turned into a case's narrative.

`read_ticket(data)` takes the bytes of an export, pasted or uploaded, and returns a
`Ticket`: the subject, the conversation as text and where it came from. It reads

- Zendesk: the ticket API response (`{"ticket": {...}}`), the comments API response
  (`{"comments": [...]}`, optionally with side-loaded `users`), or both in one object;
- Freshdesk: a ticket with its `conversations` (`GET /tickets/<id>?include=conversations`),
  or the conversations list alone;
- an e-mail thread saved as .eml: the message and the messages attached to it (a forwarded
  thread), each with its plain-text part (else its HTML), quoted replies and signatures cut.

The narrative names speakers "Customer:" and "Agent:", never by name, in time order; internal
notes are left out (and counted), HTML is reduced to its text. Nothing here redacts: the
case form's preview runs the usual redaction over the narrative. Anything else (another
format, broken JSON, a file over `MAX_TICKET_BYTES`) is refused with a message, never an
exception of another kind.
"""
import email
import email.errors
import email.policy
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser

from learning.plain_text import clean_prose
from learning.refusals import Refused

MAX_TICKET_BYTES = 1024 * 1024
CUSTOMER, AGENT = "Customer", "Agent"
MAIL_HEADER = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*(?:From|Subject|Date|To|Received):",
                         re.IGNORECASE)
QUOTE_INTRO = re.compile(r"^\s*(On\b.{0,300}\bwrote:|-{2,}\s*Original Message\s*-{2,}|From:\s.*)\s*$",
                         re.IGNORECASE | re.DOTALL)
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr"}


@dataclass(frozen=True)
class Ticket:
    subject: str
    narrative: str
    source_system: str          # "Zendesk", "Freshdesk", "E-mail"
    ticket_id: str
    created_at: datetime = None  # naive UTC, when known
    internal_notes: int = 0     # internal notes left out of the narrative


@dataclass(frozen=True)
class Message:
    speaker: str
    text: str
    at: datetime = None


def read_ticket(data):
    """The Ticket in an export's bytes; Refused with a message a person can act on."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_TICKET_BYTES:
        raise Refused(f"The export is larger than {MAX_TICKET_BYTES // 1024} KB; export the one ticket only.")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise Refused("Paste a ticket export or choose a file.")
    if stripped[:1] in (b"{", b"["):
        return _read_json(stripped)
    if MAIL_HEADER.match(stripped):
        return _read_mail(stripped)
    raise Refused("This is not a ticket export we can read: use a Zendesk or Freshdesk ticket's JSON, "
                  "or an e-mail saved as .eml.")


def filled_case_fields(ticket, title, actions):
    """The case's title and "What I did and said" once a ticket is read into them: the subject
    when no title is typed, the conversation below what is typed (once, however often it is
    imported). The case form and the API both fill a case this way."""
    typed = (actions or "").strip()
    actions = typed if ticket.narrative in typed else "\n\n".join(filter(None, [typed, ticket.narrative]))
    return title or ticket.subject, actions


def _read_json(data):
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused("The export is not valid JSON: copy the whole response or export the ticket again.") from None
    if isinstance(document, dict) and ("ticket" in document or "comments" in document):
        return _zendesk(document)
    if isinstance(document, dict) and ("conversations" in document or "description_text" in document):
        return _freshdesk(document, document.get("conversations"))
    if isinstance(document, list) and document and all(isinstance(c, dict) and "incoming" in c for c in document):
        return _freshdesk({}, document)
    raise Refused("This JSON is neither a Zendesk ticket (with its comments) nor a Freshdesk ticket "
                  "(with its conversations).")


def _zendesk(document):
    ticket = _object(document.get("ticket"))
    comments = document.get("comments", ticket.get("comments"))
    if not isinstance(comments, list) or not comments:
        raise Refused("This Zendesk export has no comments: export the ticket's comments too "
                      "(/api/v2/tickets/<id>/comments.json) and paste both.")
    comments = [_object(c) for c in comments]
    customers = {ticket.get("requester_id")} - {None}
    customers |= {u.get("id") for u in map(_object, _list(document.get("users"))) if u.get("role") == "end-user"}
    if not customers:   # no ticket and no users: the first comment opens the ticket, the requester's
        customers = {min(comments, key=lambda c: _time(c.get("created_at")) or datetime.max).get("author_id")}
    messages, notes = [], 0
    for comment in comments:
        if comment.get("public") is False:
            notes += 1
            continue
        text = _text(comment.get("plain_body") or comment.get("body")) or _html_text(comment.get("html_body"))
        speaker = CUSTOMER if comment.get("author_id") in customers else AGENT
        messages.append(Message(speaker, text, _time(comment.get("created_at"))))
    return _ticket(_text(ticket.get("subject") or ticket.get("raw_subject")), messages, "Zendesk",
                   ticket.get("id"), _time(ticket.get("created_at")), notes)


def _freshdesk(ticket, conversations):
    messages, notes = [], 0
    opening = _text(ticket.get("description_text")) or _html_text(ticket.get("description"))
    if opening:
        messages.append(Message(CUSTOMER, opening, _time(ticket.get("created_at"))))
    for entry in map(_object, _list(conversations)):
        if entry.get("private") is True:
            notes += 1
            continue
        text = _text(entry.get("body_text")) or _html_text(entry.get("body"))
        messages.append(Message(CUSTOMER if entry.get("incoming") is True else AGENT, text,
                                _time(entry.get("created_at"))))
    return _ticket(_text(ticket.get("subject")), messages, "Freshdesk", ticket.get("id"),
                   _time(ticket.get("created_at")), notes)


def _ticket(subject, messages, system, ticket_id, created_at, notes=0):
    """The Ticket of `messages` (in time order, the undated where they stood)."""
    spoken = [m for m in messages if m.text.strip()]
    if not spoken:
        raise Refused(f"This {system} export holds no messages to bring to a case.")
    first = next((m.at for m in spoken if m.at), None)
    spoken.sort(key=lambda m: m.at or first or datetime.min)
    narrative = "\n\n".join(f"{m.speaker}: {m.text.strip()}" for m in spoken)
    ticket_id = str(ticket_id) if isinstance(ticket_id, (int, str)) else ""
    return Ticket(" ".join(subject.split())[:200], narrative, system, ticket_id[:64], created_at or first, notes)


def _read_mail(data):
    try:
        top = email.message_from_bytes(data, policy=email.policy.default)
        messages = list(_thread(top))
        dated = [(_mail_time(m), m) for m in messages]
        dated.sort(key=lambda pair: pair[0] or datetime.min)
        customer = _sender(dated[0][1])
        thread = [Message(CUSTOMER if _sender(m) in (customer, "") else AGENT, _mail_text(m), at)
                  for at, m in dated]
        subject = str(top.get("subject") or "")
    except (LookupError, ValueError, TypeError, AttributeError, IndexError, RecursionError,
            email.errors.MessageError):
        raise Refused("This e-mail cannot be read: save the message again as .eml and upload that file.") from None
    return _ticket(re.sub(r"^\s*((re|fwd?|aw|wg)\s*:\s*)+", "", _text(subject), flags=re.IGNORECASE), thread,
                   "E-mail", _mail_id(top), _mail_time(top))


def _thread(message):
    """The message and the messages attached to it, at any depth (a forwarded thread)."""
    yield message
    for part in message.walk():
        if part.get_content_type() == "message/rfc822" and isinstance(part.get_payload(), list):
            yield from part.get_payload()[:1]


def _sender(message):
    addresses = getattr(message.get("from"), "addresses", ())
    return addresses[0].addr_spec.lower() if addresses else ""


def _mail_time(message):
    moment = getattr(message.get("date"), "datetime", None)
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _mail_id(message):
    return str(message.get("message-id") or "").strip().strip("<>")


def _mail_text(message):
    """The message's own words: its plain-text body (else its HTML's text), quotes cut."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None or body.get_content_maintype() != "text":
        return ""
    try:
        text = body.get_content()
    except (LookupError, UnicodeError):    # an unknown or lying charset: keep what can be read
        text = (body.get_payload(decode=True) or b"").decode("latin-1")
    text = html_text(text) if body.get_content_subtype() == "html" else text
    return _text(without_quotes(text))


def without_quotes(text):
    """Text above a reply's quote: `>` lines dropped, cut at "On ... wrote:" (also wrapped
    over two lines), an Outlook "Original Message" or "From:" block, or a "-- " signature."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for number, line in enumerate(lines):
        if line.rstrip() == "--":
            break
        if QUOTE_INTRO.match(line) or (line.strip().startswith("On ") and number + 1 < len(lines)
                                       and QUOTE_INTRO.match(line + " " + lines[number + 1])):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept)


def _object(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def _text(value):
    """A string as plain text (no control characters or lone surrogates) with tidy blank
    lines; anything else ''."""
    if not isinstance(value, str):
        return ""
    value = clean_prose(value.encode("utf-8", "replace").decode("utf-8"))
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _time(value):
    """An ISO 8601 time from an export as naive UTC, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class _TextOfHtml(HTMLParser):
    """The text of an HTML body: a line break at each block, script and style left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(html):
    """The text a person reads in an HTML body."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return _text("\n".join(line.strip() for line in "".join(parser.parts).split("\n")))


def _html_text(value):
    return html_text(value) if isinstance(value, str) else ""
