"""The case library (discussed cases with their takeaways) and the case lists,
each page in a fixed number of queries."""
from dataclasses import dataclass

import peewee as pw
from peewee import SQL, NodeList

from learning.accounts.models import User
from learning.cases.models import Case, CaseCompetency, Takeaway, TakeawayCompetency
from learning.cases.search import matching
from learning.cases.visibility import QUEUED, visible_with_status_rule
from learning.competencies.models import Competency
from learning.db import CompiledSelect, is_sqlite
from learning.web import Page, int_arg

# What the case lists show (and what Viewer needs to decide on the author's name):
# not the four long text fields.
LIST_COLUMNS = (Case.id, Case.author, Case.team, Case.title, Case.channel, Case.anonymous, Case.status,
                Case.meetup, Case.updated_at, Case.submitted_at)
LIBRARY_COLUMNS = (Case.id, Case.author, Case.team, Case.title, Case.channel, Case.anonymous, Case.status,
                   Case.meetup, Case.discussed_at)


# A page of the library or a case list reads these for its rows: SQL written once per page length.
_CASE_COMPETENCIES = CompiledSelect(lambda *ids: CaseCompetency.select(CaseCompetency, Competency).join(Competency)
                                    .where(CaseCompetency.case.in_(ids)).order_by(Competency.name))
_TAKEAWAY_COMPETENCIES = CompiledSelect(lambda *ids: (
    TakeawayCompetency.select(TakeawayCompetency, Competency, Takeaway).join(Competency)
    .switch(TakeawayCompetency).join(Takeaway).where(Takeaway.case.in_(ids)).order_by(Competency.name)))


def _where(query, condition):
    return query if condition is None else query.where(condition)


def library_query(user, text="", competency_id=None, channel=None):
    """Discussed cases `user` may see with their takeaways, newest first, filtered;
    `text` matched through the full-text index (see learning.cases.search)."""
    query = (Case.select(*LIBRARY_COLUMNS, User.id, User.display_name, Takeaway)
             .join(User, on=Case.author)
             .switch(Case).join(Takeaway, on=(Takeaway.case == Case.id), attr="takeaway")
             .where(Case.status == "discussed"))
    query = _where(query, visible_with_status_rule(user, ["discussed"]))
    if channel:
        query = query.where(Case.channel == channel)
    if competency_id:
        on_case = CaseCompetency.select(CaseCompetency.case).where(CaseCompetency.competency == competency_id)
        on_takeaway = (TakeawayCompetency.select(TakeawayCompetency.takeaway)
                       .where(TakeawayCompetency.competency == competency_id))
        query = query.where(Case.id.in_(on_case) | Takeaway.id.in_(on_takeaway))
    query = _where(query, matching(text))
    return query.order_by(Case.discussed_at.desc(), Case.id.desc())


@dataclass
class OpenPage:
    """A page without a total: counting every match of a search costs more than finding a
    page of them, so a page only knows whether another follows (one row more was found)."""
    items: list
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1


def open_page(query, size):
    """The page of `query` named by `?page=`, in one query."""
    number = int_arg("page", 1, minimum=1, maximum=100000)
    rows = list(query.limit(size + 1).offset((number - 1) * size))
    return OpenPage(items=rows[:size], number=number, size=size, has_next=len(rows) > size)


def competencies_by_case(cases):
    """{case_id: [Competency, ...]} for the case and its takeaways, in two queries."""
    ids = sorted({case.id for case in cases})
    result = {case_id: [] for case_id in ids}
    if not ids:
        return result
    for link in _CASE_COMPETENCIES(*ids, shape=len(ids)):
        result[link.case_id].append(link.competency)
    for link in _TAKEAWAY_COMPETENCIES(*ids, shape=len(ids)):
        found = result[link.takeaway.case_id]
        if all(c.id != link.competency_id for c in found):
            found.append(link.competency)
    return result


def _case_list_where(user, show, walking=False):
    """`walking`: the query walks case(submitted_at, id, status) in order; on SQLite "+status"
    keeps the planner from taking the status index instead and sorting every open case
    (which it prefers without statistics)."""
    if show == "mine":
        return Case.author == user.id
    rule = visible_with_status_rule(user, QUEUED)
    queued = _queued(walking)
    return queued if rule is None else (queued & rule)


def _queued(walking=False):
    status = NodeList((SQL("+"), Case.status), glue="") if walking and is_sqlite() else Case.status
    return status.in_(QUEUED)


def case_list_query(user, show):
    """/cases: "mine" (every case I wrote) or "queue" (submitted and scheduled cases I may see,
    newest first: the index case(submitted_at, id, status) is walked in this order)."""
    return _case_list(_case_list_where(user, show, walking=True), show)


def _case_list(condition, show):
    query = (Case.select(*LIST_COLUMNS, User.id, User.display_name).join(User, on=Case.author)
             .where(condition))
    if show == "mine":
        return query.order_by(Case.updated_at.desc(), Case.id.desc())
    # Every queued case has been submitted; saying so lets PostgreSQL start its backward walk
    # past the drafts (no submitted_at), which it would otherwise read first.
    return query.where(Case.submitted_at.is_null(False)).order_by(Case.submitted_at.desc(), Case.id.desc())


def case_list_page(user, show, size):
    """The page of case_list_query named by `?page=`: the rows, and a count of the cases alone
    (every case has its author, so the count needs no join)."""
    number = int_arg("page", 1, minimum=1, maximum=100000)
    offset = (number - 1) * size
    if show == "mine":
        total, items = _MINE_COUNT.scalar(user.id), list(_MINE(user.id, size, offset))
    elif visible_with_status_rule(user, QUEUED) is None:   # coaches and admins see every queued case
        total, items = _QUEUE_COUNT.scalar(), list(_QUEUE(size, offset))
    else:
        total = Case.select().where(_case_list_where(user, show)).count()
        items = list(case_list_query(user, show).paginate(number, size))
    return Page(items=items, number=number, size=size, total=total)


# "Mine" and the coaches' queue are opened all day: their SQL is written once.
_MINE = CompiledSelect(lambda user_id, limit, offset: _case_list(Case.author == user_id, "mine")
                       .limit(limit).offset(offset))
_MINE_COUNT = CompiledSelect(lambda user_id: Case.select(pw.fn.COUNT(Case.id)).where(Case.author == user_id).tuples())
_QUEUE = CompiledSelect(lambda limit, offset: _case_list(_queued(walking=True), "queue").limit(limit).offset(offset))
_QUEUE_COUNT = CompiledSelect(lambda: Case.select(pw.fn.COUNT(Case.id)).where(_queued()).tuples())
