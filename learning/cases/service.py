"""Writing cases: drafts, redacted submission, edits, withdrawal, votes and debrief prompts.

Every write runs in one transaction; a refusal raises Refused (with the form
field it concerns) and writes nothing.
"""
import peewee as pw

from learning.accounts.models import TeamCoach, User
from learning.cases import signals
from learning.cases.models import AgendaItem, Case, CaseCompetency, DebriefPrompt, HEAVY, TEXT_FIELDS, Vote
from learning.cases.redaction import find_customer_data, found_names, redact_fields
from learning.cases.visibility import open_meetups_going
from learning.competencies.models import Competency
from learning.db import db, for_update, utcnow
from learning.refusals import Refused
from learning.schedule.models import Rsvp, Series, Session


# --- meetups that take a case ---------------------------------------------------

def takes_team(team_id):
    """Condition on Series: its meetups take cases of team `team_id`."""
    return Series.team.is_null(True) | (Series.team == team_id)


def upcoming_meetups_for(author, limit=20, going_only=False):
    """Scheduled, not yet started case-review meetups that take the author's cases
    (with `going_only`, those the person is going to): their ids, times and titles."""
    # The series first (a few per team), then their sessions through session(series_id, starts_at):
    # joined in one query, the planner walked every upcoming session of the programme instead.
    series_ids = [s.id for s in Series.select(Series.id).where(Series.kind == "case_review",
                                                                 takes_team(author.team_id))]
    query = (Session.select(Session.id, Session.starts_at, Series.id, Series.title).join(Series)
             .where(Session.series.in_(series_ids), Session.status == "scheduled", Session.starts_at > utcnow()))
    if going_only:
        query = query.where(Session.id.in_(
            Rsvp.select(Rsvp.session).where(Rsvp.user == author.id, Rsvp.status == "going")))
    return list(query.order_by(Session.starts_at).limit(limit))


def check_meetup_choice(author, session_id):
    """The meetup the author asks for, or Refused when it cannot take the case."""
    session = (Session.select(Session, Series).join(Series)
               .where(Session.id == session_id, Series.kind == "case_review").first())
    if session is None:
        raise Refused("Choose a case-review meetup from the list.", "meetup")
    if session.is_cancelled:
        raise Refused("This meetup was cancelled; choose another one.", "meetup")
    if session.starts_at <= utcnow():
        raise Refused("This meetup has already taken place; choose an upcoming one.", "meetup")
    if session.series.team_id is not None and session.series.team_id != author.team_id:
        raise Refused("This meetup takes another team's cases; choose one for your team.", "meetup")
    return session


# --- writing a case ----------------------------------------------------------------

def preview_redaction(data, names=(), keep=()):
    """(redacted text fields, findings) for the author's preview; nothing is stored."""
    fields, findings = redact_fields({key: data[key] for key in TEXT_FIELDS}, names, keep)
    return fitted(Case, fields), findings


def names_to_confirm(data, names=(), keep=()):
    """The author's list of names to remove, with the names the text marks added
    (the preview asks the author to confirm them)."""
    listed = list(names)
    known = {name.lower() for name in listed}
    return listed + [n for n in found_names((data[key] for key in TEXT_FIELDS), keep) if n.lower() not in known]


def redacted_for_storage(model, fields, names=(), keep=()):
    """What others may read, as it may be stored: redacted, and within each column's length."""
    return fitted(model, redact_fields(fields, names, keep)[0])


def fitted(model, fields):
    """Placeholders can be longer than what they replace: cut a value to its column."""
    limits = {key: getattr(getattr(model, key), "max_length", None) for key in fields}
    return {key: value.strip()[:limits[key]] for key, value in fields.items()}


def save_case(author, case, data, names=(), keep=(), submit=False):
    """Create or change a case.

    A draft that is not being submitted keeps the text as typed. Submitting,
    or changing a case already submitted, stores only the redacted text.
    `data` holds the text fields, channel, heaviness, anonymous, meetup_id
    and competency_ids.
    """
    redacting = submit or (case is not None and case.status != "draft")
    # Redaction is CPU only: done before the transaction, so no write lock is held meanwhile.
    fields = preview_redaction(data, names, keep)[0] if redacting else {k: data[k] for k in TEXT_FIELDS}
    return _store_case(author, case, data, fields, submit)


def submit_new_case(author, data, names=(), keep=()):
    """Submit a case in one step (the API): the names the text marks join the author's list
    as the form's preview adds them, then only the redacted text is stored, as the form's
    submission stores it. Returns (case, findings): what was removed, as the preview lists it."""
    names = names_to_confirm(data, names, keep)
    fields, findings = preview_redaction(data, names, keep)
    return _store_case(author, None, data, fields, submit=True), findings


@db.atomic()
def _store_case(author, case, data, fields, submit):
    """Write a case with `fields`, its text as it may be stored (see save_case)."""
    if case is not None and (case.author_id != author.id or not case.is_open):
        raise Refused("This case can no longer be changed.")
    was_draft = case is None or case.status == "draft"
    redacting = submit or not was_draft
    case = case or Case(author=author)
    for key, value in fields.items():
        setattr(case, key, value.strip())
    case.channel, case.heaviness, case.anonymous = data["channel"], data["heaviness"], data["anonymous"]
    if case.status in ("draft", "submitted"):
        case.meetup = _meetup_choice(author, case, data.get("meetup_id"), submit and was_draft)
    case.updated_at = utcnow()
    if submit and was_draft:
        case.status, case.team, case.submitted_at = "submitted", author.team_id, utcnow()
    case.save()
    _set_competencies(case, data.get("competency_ids", ()))
    if redacting:
        _prompt_debrief_if_heavy(case)
    if submit and was_draft:
        signals.case_submitted.send(case)
    return case


def _meetup_choice(author, case, meetup_id, submitting):
    """A new choice is checked; an unchanged one only when the draft is submitted."""
    if not meetup_id:
        return None
    if meetup_id == case.meetup_id and not submitting:
        return case.meetup_id
    return check_meetup_choice(author, meetup_id)


def _set_competencies(case, competency_ids):
    ids = list(dict.fromkeys(int(i) for i in competency_ids))
    known = {c.id for c in Competency.select(Competency.id).where(Competency.id.in_(ids))} if ids else set()
    if set(ids) - known:
        raise Refused("Choose competencies from the framework.", "competencies")
    CaseCompetency.delete().where(CaseCompetency.case == case).execute()
    if ids:
        CaseCompetency.insert_many([{"case": case.id, "competency": cid} for cid in ids]).execute()


def still_holds_customer_data(case):
    """Findings in a stored case (a submitted case should have none)."""
    return [f for key in TEXT_FIELDS for f in find_customer_data(getattr(case, key))]


@db.atomic()
def withdraw_case(user, case):
    if case.author_id != user.id or not case.is_open:
        raise Refused("Only its author can withdraw a case, and only until it is discussed.")

    AgendaItem.delete().where(AgendaItem.case == case, AgendaItem.outcome == "planned").execute()
    case.status, case.updated_at = "withdrawn", utcnow()
    case.save()
    return case


# --- votes ------------------------------------------------------------------------

def may_vote(user, case):
    """Going to an open meetup that can take the (queued) case, and not its author."""
    if case.status not in ("submitted", "scheduled") or case.author_id == user.id:
        return False
    meetups = open_meetups_going(user)
    if case.team_id is None:
        return meetups.where(Series.team.is_null(True)).exists()
    return meetups.where(takes_team(case.team_id)).exists()


@db.atomic()
def upvote(user, case):
    if not may_vote(user, case):
        raise Refused("Only people going to a meetup that can take this case can vote for it.")
    try:
        with db.atomic():
            return Vote.create(case=case, user=user)
    except pw.IntegrityError:
        raise Refused("You have already voted for this case.")


def vote_counts(case_ids):
    """{case_id: votes} in one query."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    return dict(Vote.select(Vote.case, pw.fn.COUNT(Vote.id)).where(Vote.case.in_(ids)).group_by(Vote.case).tuples())


def voted_by(user, case_ids):
    if not case_ids:
        return set()
    return {v.case_id for v in Vote.select(Vote.case).where(Vote.user == user.id, Vote.case.in_(list(case_ids)))}


# --- debrief prompts ----------------------------------------------------------------

def _prompt_debrief_if_heavy(case):
    if (case.heaviness or 0) < HEAVY or DebriefPrompt.select().where(DebriefPrompt.case == case).exists():
        return
    DebriefPrompt.create(case=case, team=case.team_id)
    coach_ids = [link.user_id for link in TeamCoach.select(TeamCoach.user).where(TeamCoach.team == case.team_id)]
    signals.debrief_prompted.send(case, coach_ids=coach_ids)


def debrief_prompts_for(coach, limit=20):
    """Prompts not yet answered for the teams `coach` coaches, oldest first (one query)."""
    teams = TeamCoach.select(TeamCoach.team).where(TeamCoach.user == coach.id)
    return list(DebriefPrompt.select(DebriefPrompt, Case, User)
                .join(Case).join(User, on=Case.author)
                .where(DebriefPrompt.team.in_(teams), DebriefPrompt.status != "answered",
                       Case.status != "withdrawn")
                .order_by(DebriefPrompt.created_at).limit(limit))


@db.atomic()
def mark_debrief(coach, prompt_id, status):
    """Mark a prompt offered or answered; None when `coach` may not see it."""
    prompt = for_update(DebriefPrompt.select().where(DebriefPrompt.id == prompt_id)).first()
    if prompt is None or not (coach.is_admin or TeamCoach.select().where(
            TeamCoach.team == prompt.team_id, TeamCoach.user == coach.id).exists()):
        return None
    if status not in ("offered", "answered"):
        raise Refused("Choose offered or answered.")
    prompt.status, prompt.handled_by, prompt.updated_at = status, coach, utcnow()
    prompt.save()
    return prompt
