"""Competency ratings: self-assessments and coach ratings on the 1-5 scale.

Ratings are never overwritten: each is a dated point in a history that the
progress pages chart.
"""
import re

from learning.audit.service import record
from learning.accounts.models import User
from learning.coaching import access
from learning.coaching.models import Rating
from learning.coaching.service import _check_level, _require, clean
from learning.competencies.models import Competency
from learning.db import db, utcnow
from learning.refusals import Refused

EVIDENCE_LINK = re.compile(r"^(https?://[^\s<>\"']+|/(sessions|cases|modules|cohorts|series)/\d+)$")


@db.atomic()
def rate(rater, employee, competency_id, level, rated_on, evidence="", evidence_url=""):
    """Add a rating: the employee rates themselves ("self"), a coach of their team rates them ("coach")."""
    if rater.id == employee.id:
        source = "self"
    else:
        _require(access.can_coach(rater, employee))
        source = "coach"
    if not Competency.select().where(Competency.id == competency_id).exists():
        raise Refused("Choose a competency from the list.", "competency")
    _check_level(competency_id, level, "level")
    if rated_on is None or rated_on > utcnow().date():
        raise Refused("Choose a date that is not in the future.", "rated_on")
    evidence, evidence_url = clean(evidence), clean(evidence_url)
    if len(evidence) > 2000:
        raise Refused("Keep this under 2000 characters.", "evidence")
    if evidence_url and (len(evidence_url) > 500 or not EVIDENCE_LINK.match(evidence_url)):
        raise Refused("Link to a session, case or module (e.g. /sessions/12) or a web address.",
                      "evidence_url")
    rating = Rating.create(employee=employee, competency=competency_id, level=level, rated_on=rated_on,
                           source=source, rater=rater, evidence=evidence, evidence_url=evidence_url)
    record(rater, "rating.added", employee,
           f"{employee.display_name}: {Competency.get_by_id(competency_id).name} level {level} ({source})")
    return rating


def ratings_query(condition):
    """Ratings matching `condition` with their competency and rater (`rating.rater`), by
    competency, then oldest first."""
    return (Rating.select(Rating, Competency, User)
            .join(Competency, on=(Rating.competency == Competency.id))
            .join_from(Rating, User, on=(Rating.rater == User.id))
            .where(condition)
            .order_by(Competency.name, Rating.rated_on, Rating.id))


def rating_history(employee):
    """[(competency, [rating, ...] oldest first)] for every competency rated, in one query."""
    history = {}
    for rating in ratings_query(Rating.employee == employee):
        history.setdefault(rating.competency, []).append(rating)
    return list(history.items())


def latest_levels(history):
    """{competency_id: {"self": level, "coach": level}} from `rating_history` output."""
    latest = {}
    for competency, ratings in history:
        for rating in ratings:
            latest.setdefault(competency.id, {})[rating.source] = rating.level
    return latest
