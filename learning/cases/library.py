"""The case library (discussed cases with their takeaways) and the case lists,
each page in a fixed number of queries."""
import operator
from functools import reduce

import peewee as pw
from peewee import SQL, NodeList

from learning.accounts.models import User
from learning.cases.models import Case, CaseCompetency, Cause, Takeaway, TakeawayCompetency
from learning.cases import search
from learning.cases.visibility import QUEUED, visible_with_status_rule
from learning.competencies.models import Competency
from learning.db import is_sqlite

# What the case lists show (and what Viewer needs to decide on the author's name):
# not the four long text fields.
LIST_COLUMNS = (Case.id, Case.author, Case.team, Case.title, Case.channel, Case.anonymous, Case.status,
                Case.meetup, Case.updated_at, Case.submitted_at)
LIBRARY_COLUMNS = (Case.id, Case.author, Case.team, Case.title, Case.channel, Case.anonymous, Case.status,
                   Case.meetup, Case.discussed_at, Case.cause, Case.avoidable)


def _where(query, condition):
    return query if condition is None else query.where(condition)


def _filters(user, competency_id, channel, cause_id=None):
    """The condition on Case for who may see what and the filters chosen; None for none."""
    conditions = [visible_with_status_rule(user, ["discussed"])]
    if channel:
        conditions.append(Case.channel == channel)
    if cause_id:
        conditions.append(Case.cause == cause_id)
    if competency_id:
        conditions.append(_with_competency(competency_id))
    present = [c for c in conditions if c is not None]
    return reduce(operator.and_, present) if present else None


def library_query(user, text="", competency_id=None, channel=None, cause_id=None):
    """Discussed cases `user` may see with their takeaways and cause, filtered: newest first, or,
    with `text`, the best matches first (see learning.cases.search)."""
    query = (Case.select(*LIBRARY_COLUMNS, User.id, User.display_name, Takeaway, Cause.id, Cause.name)
             .join(User, on=Case.author)
             .switch(Case).join(Takeaway, on=(Takeaway.case == Case.id), attr="takeaway")
             .switch(Case).join(Cause, pw.JOIN.LEFT_OUTER, on=(Case.cause == Cause.id), attr="cause")
             .where(Case.status == "discussed"))
    condition = _filters(user, competency_id, channel, cause_id)
    newest = (Case.discussed_at.desc(), Case.id.desc())
    found = search.ranked_cases(text, condition)
    if found is None:
        return _where(query, condition).order_by(*newest)
    found = found.alias("found")
    return query.join(found, on=(found.c.case_id == Case.id)).order_by(*search.best_first(found))


def _with_competency(competency_id):
    """Cases tagged with the competency, or whose takeaway is."""
    on_case = CaseCompetency.select(CaseCompetency.case).where(CaseCompetency.competency == competency_id)
    on_takeaway = (Takeaway.select(Takeaway.case).join(TakeawayCompetency)
                   .where(TakeawayCompetency.competency == competency_id))
    return Case.id.in_(on_case) | Case.id.in_(on_takeaway)


def competencies_by_case(cases):
    """{case_id: [Competency (id and name), ...]} for the case and its takeaways, in two queries."""
    ids = sorted({case.id for case in cases})
    result = {case_id: [] for case_id in ids}
    if not ids:
        return result
    on_cases = (CaseCompetency.select(CaseCompetency.case, Competency.id, Competency.name).join(Competency)
                .where(CaseCompetency.case.in_(ids)))
    on_takeaways = (TakeawayCompetency.select(Takeaway.case, Competency.id, Competency.name).join(Competency)
                    .switch(TakeawayCompetency).join(Takeaway).where(Takeaway.case.in_(ids)))
    for query in (on_cases, on_takeaways):
        for case_id, competency_id, name in query.order_by(Competency.name).tuples():
            if all(c.id != competency_id for c in result[case_id]):
                result[case_id].append(Competency(id=competency_id, name=name))
    return result


def case_list_query(user, show):
    """/cases: "mine" (every case I wrote) or "queue" (submitted and scheduled cases I may see,
    newest first: the index case(submitted_at, id, status) is walked in this order)."""
    query = Case.select(*LIST_COLUMNS, User.id, User.display_name).join(User, on=Case.author)
    if show == "mine":
        return query.where(Case.author == user.id).order_by(Case.updated_at.desc(), Case.id.desc())
    rule = visible_with_status_rule(user, QUEUED)
    # Every queued case has been submitted; saying so lets PostgreSQL start its backward walk
    # past the drafts (no submitted_at), which it would otherwise read first.
    query = _where(query.where(_queued(), Case.submitted_at.is_null(False)), rule)
    return query.order_by(Case.submitted_at.desc(), Case.id.desc())


def _queued():
    """On SQLite "+status" keeps the planner from taking the status index instead of walking
    case(submitted_at, id, status) in order and sorting every open case (which it prefers
    without statistics)."""
    status = NodeList((SQL("+"), Case.status), glue="") if is_sqlite() else Case.status
    return status.in_(QUEUED)
