"""The case lists (/cases, mine or the queue) and the library as CSV rows: the same queries
as the pages, read a chunk at a time, each case as this viewer may read it. The narrative is
the redacted text others read (a draft, kept as typed for its author, is redacted here too:
a file leaves the app); the author's name only when the viewer may know it, how heavy the
case felt only for those who look after its author."""
from peewee import chunked

from learning.cases.library import competencies_by_case
from learning.cases.models import AVOIDABLE_LABELS, Case, TEXT_FIELDS
from learning.cases.redaction import redact_fields
from learning.cases.service import fitted, vote_counts
from learning.cases.visibility import Viewer

CHUNK = 200
NARRATIVE = (Case.customer_need, Case.actions, Case.outcome, Case.ask)
NARRATIVE_COLUMNS = ("What the customer needed", "What was done and said", "Outcome", "Input asked for")
CASE_COLUMNS = ("Case", "Title", "Channel", "Status", "Author", "Submitted", "Last changed", "Votes",
                *NARRATIVE_COLUMNS, "Heaviness")
LIBRARY_COLUMNS = ("Case", "Title", "Channel", "Author", "Discussed", "Competencies", "Root cause", "Avoidable",
                   *NARRATIVE_COLUMNS, "What worked", "What we would do differently", "Principle or boundary")


def case_list_rows(query, user):
    """Rows of the case list `query` (learning.cases.library.case_list_query)."""
    viewer = Viewer(user)
    for chunk in chunked(query.select_extend(*NARRATIVE, Case.heaviness).iterator(), CHUNK):
        votes = vote_counts([case.id for case in chunk])
        for case in chunk:
            title, *narrative = _shared(case)
            yield (case.id, title, case.channel_label, case.status_label, _author(viewer, case),
                   case.submitted_at, case.updated_at, votes.get(case.id, 0), *narrative,
                   case.heaviness if viewer.sees_heaviness(case) else "")


def library_rows(query, user):
    """Rows of the library `query` (learning.cases.library.library_query, its search and filters)."""
    viewer = Viewer(user)
    for chunk in chunked(query.select_extend(*NARRATIVE).iterator(), CHUNK):
        competencies = competencies_by_case(chunk)
        for case in chunk:
            title, *narrative = _shared(case)
            takeaway = case.takeaway
            yield (case.id, title, case.channel_label, _author(viewer, case), case.discussed_at,
                   "; ".join(c.name for c in competencies[case.id]), case.cause.name if case.cause_id else "",
                   AVOIDABLE_LABELS[case.avoidable] if case.cause_id else "", *narrative,
                   takeaway.what_worked, takeaway.do_differently, takeaway.principle)


def _author(viewer, case):
    return viewer.author_name(case) or "Shared without a name"


def _shared(case):
    """Title and narrative as others read them."""
    fields = {key: getattr(case, key) or "" for key in TEXT_FIELDS}
    if case.status == "draft":
        fields = fitted(Case, redact_fields(fields)[0])
    return tuple(fields.values())
