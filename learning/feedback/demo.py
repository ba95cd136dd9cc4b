"""Demo operations feedback (seeds/feedback.json): causes on the demo cases and two items
raised at past meetups, one accepted and one fixed, with their history told as past."""
from datetime import timedelta

from learning.cases.models import Case, Cause
from learning.db import utcnow
from learning.feedback import figures, service
from learning.feedback.models import CauseMonthCount, FeedbackItem, FeedbackStatusChange
from learning.schedule.models import Session
from learning.seeds import read_seed


def load(context):
    data = read_seed("feedback.json")
    if FeedbackItem.select().where(FeedbackItem.title == data["items"][0]["title"]).exists():
        return None
    cases = {case.title: case for case in Case.select().where(Case.title.in_(list(data["causes"])))}
    causes = {cause.name: cause.id for cause in Cause.select()}
    for title, (cause, avoidable) in data["causes"].items():
        if title in cases:
            Case.update(cause=causes[cause], avoidable=avoidable).where(Case.id == cases[title].id).execute()
    raised = [_item(spec, cases, causes) for spec in data["items"]]
    # The causes were tagged after the progress demo's rebuild: count the operations page's
    # closed months again for the zones it counted, as the next `flask progress rebuild` would.
    figures.rebuild([zone for (zone,) in CauseMonthCount.select(CauseMonthCount.zone).tuples()])
    return f"causes on {len(cases)} cases, {sum(1 for item in raised if item)} feedback items"


def _item(spec, cases, causes):
    linked = [cases[title] for title in spec["cases"] if title in cases]
    if not linked or linked[0].meetup_id is None:
        return None
    session = Session.get_by_id(linked[0].meetup_id)
    runner = session.facilitator or session.series.created_by
    item = service.raise_item(runner, session, spec["title"], causes[spec["cause"]], spec["owner"],
                              [case.id for case in linked])
    _backdate(item, None, spec["days_ago"])
    for status, note, days_ago in spec["changes"]:
        service.change_status(runner, item.id, status, note)
        _backdate(item, status, days_ago)
    return item


def _backdate(item, status, days_ago):
    """Tell the demo's history as past: the item raised, or its latest change, `days_ago` days back."""
    when = utcnow() - timedelta(days=days_ago)
    if status is None:
        FeedbackItem.update(created_at=when, updated_at=when).where(FeedbackItem.id == item.id).execute()
        FeedbackStatusChange.update(changed_at=when).where(FeedbackStatusChange.item == item.id).execute()
        return
    latest = (FeedbackStatusChange.select(FeedbackStatusChange.id).where(FeedbackStatusChange.item == item.id)
              .order_by(FeedbackStatusChange.id.desc()).limit(1))
    FeedbackStatusChange.update(changed_at=when).where(FeedbackStatusChange.id.in_(latest)).execute()
    FeedbackItem.update(updated_at=when, fixed_at=when if status == "fixed" else None).where(
        FeedbackItem.id == item.id).execute()
