"""The audit log read as sentences: "Ada Admin changed the role of Tom Becker (agent → coach)",
each naming and linking the people and things it is about. Subjects are loaded per page,
one query per kind of subject, never one per entry."""
from dataclasses import dataclass
from typing import Optional

from flask import current_app, url_for

from learning.accounts.models import User

# action -> what the actor did to the subject ("{subject}" is replaced by its link)
VERBS = {
    "user.role-changed": "changed the role of {subject}",
    "user.deactivated": "deactivated {subject}",
    "user.reactivated": "reactivated {subject}",
    "user.anonymised": "anonymised {subject}",
    "user.signed-out-everywhere": "signed {subject} out everywhere",
    "plan.created": "created the plan {subject}",
    "plan.changed": "changed the plan {subject}",
    "plan.status-changed": "changed the status of the plan {subject}",
    "plan.handed-over": "handed over the open plans of {subject}",
    "plan.closed": "closed the open plans of {subject}",
    "rating.added": "added a competency rating for {subject}",
    "attendance.recorded": "recorded attendance at {subject}",
    "calendar.token-regenerated": "made a new calendar feed link",
    "calendar.token-revoked": "revoked a calendar feed link",
    "webhook.added": "added the webhook {subject}",
    "webhook.changed": "changed the webhook {subject}",
    "webhook.secret-renewed": "made a new signing secret for the webhook {subject}",
    "webhook.deleted": "deleted a webhook",
    "chat.changed": "changed the chat channels of {subject}",
}

# the filter's choices: label -> action prefix
KINDS = {"People": "user.", "Plans": "plan.", "Ratings": "rating.", "Attendance": "attendance.",
         "Calendar feeds": "calendar.", "Webhooks": "webhook.", "Team chat": "chat."}


@dataclass
class Link:
    text: str
    url: Optional[str] = None


@dataclass
class Sentence:
    entry: object
    actor: Link
    before: str          # the verb's words before the subject
    subject: Optional[Link]
    after: str           # and after it
    detail: str          # the entry's own summary, as recorded


def sentences(entries):
    """One Sentence per audit entry, subjects loaded once per kind."""
    subjects = _subjects(entries)
    return [_sentence(entry, subjects.get((entry.subject_type, entry.subject_id))) for entry in entries]


def _sentence(entry, subject):
    verb = VERBS.get(entry.action, f"did {entry.action.replace('.', ': ').replace('-', ' ')}"
                     + (" to {subject}" if subject else ""))
    before, _, after = verb.partition("{subject}")
    actor = (Link(entry.actor.display_name, url_for("accounts.user_edit", user_id=entry.actor_id))
             if entry.actor_id else Link("The system"))
    return Sentence(entry, actor, before, subject if "{subject}" in verb else None, after, entry.summary)


def add_subject_names(app, subject_type, names):
    """A higher package names its audited things: `names(ids) -> {id: Link}` in one query."""
    app.extensions.setdefault("audit_subject_names", {})[subject_type] = names


def user_names(ids):
    return {user.id: Link(user.display_name, url_for("accounts.user_edit", user_id=user.id))
            for user in User.select(User.id, User.display_name).where(User.id.in_(list(ids)))}


def _subjects(entries):
    """{(subject_type, id): Link} for the subjects the entries name, one query per kind."""
    wanted = {}
    for entry in entries:
        if entry.subject_id is not None:
            wanted.setdefault(entry.subject_type, set()).add(entry.subject_id)
    namers = {"user": user_names, **current_app.extensions.get("audit_subject_names", {})}
    links = {}
    for subject_type, ids in wanted.items():
        if subject_type in namers:
            links.update({(subject_type, i): link for i, link in namers[subject_type](ids).items()})
    return links
