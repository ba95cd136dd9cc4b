"""The case library (discussed cases with their takeaways) and the case lists,
each page in a fixed number of queries."""
from learning.accounts.models import User
from learning.cases.models import TEXT_FIELDS, Case, CaseCompetency, Takeaway, TakeawayCompetency
from learning.cases.visibility import visible_case_rule
from learning.competencies.models import Competency


def library_query(user, text="", competency_id=None, channel=None):
    """Discussed cases `user` may see with their takeaways, newest first, filtered."""
    query = (Case.select(Case, User, Takeaway).join(User, on=Case.author)
             .switch(Case).join(Takeaway, on=(Takeaway.case == Case.id), attr="takeaway")
             .where(visible_case_rule(user), Case.status == "discussed"))
    if channel:
        query = query.where(Case.channel == channel)
    if competency_id:
        on_case = CaseCompetency.select(CaseCompetency.case).where(CaseCompetency.competency == competency_id)
        on_takeaway = (TakeawayCompetency.select(TakeawayCompetency.takeaway)
                       .where(TakeawayCompetency.competency == competency_id))
        query = query.where(Case.id.in_(on_case) | Takeaway.id.in_(on_takeaway))
    for word in (text or "").split()[:8]:
        query = query.where(_mentions(word))
    return query.order_by(Case.discussed_at.desc(), Case.id.desc())


def _mentions(word):
    """Any text of the case or its takeaways contains `word` (case-insensitive, wildcards escaped)."""
    columns = [getattr(Case, name) for name in TEXT_FIELDS]
    columns += [Takeaway.what_worked, Takeaway.do_differently, Takeaway.principle]
    condition = columns[0].contains(word)
    for column in columns[1:]:
        condition = condition | column.contains(word)
    return condition


def competencies_by_case(cases):
    """{case_id: [Competency, ...]} for the case and its takeaways, in two queries."""
    ids = [case.id for case in cases]
    result = {case_id: [] for case_id in ids}
    if not ids:
        return result
    for link in (CaseCompetency.select(CaseCompetency, Competency).join(Competency)
                 .where(CaseCompetency.case.in_(ids)).order_by(Competency.name)):
        result[link.case_id].append(link.competency)
    for link in (TakeawayCompetency.select(TakeawayCompetency, Competency, Takeaway).join(Competency)
                 .switch(TakeawayCompetency).join(Takeaway)
                 .where(Takeaway.case.in_(ids)).order_by(Competency.name)):
        found = result[link.takeaway.case_id]
        if all(c.id != link.competency_id for c in found):
            found.append(link.competency)
    return result


def case_list_query(user, show):
    """/cases: "mine" (every case I wrote) or "queue" (submitted and scheduled cases I may see)."""
    query = Case.select(Case, User).join(User, on=Case.author)
    if show == "mine":
        return query.where(Case.author == user.id).order_by(Case.updated_at.desc(), Case.id.desc())
    return (query.where(visible_case_rule(user), Case.status.in_(("submitted", "scheduled")))
            .order_by(Case.submitted_at.desc(), Case.id.desc()))
