"""Operations feedback fixtures: a team-A meetup run by coach A with two cases on its agenda
(the agent's, and the other agent's shared without a name), and causes by name."""
import pytest

from learning.cases import meetups
from learning.cases.models import Case, Cause


def cause_id(name):
    return Cause.get(Cause.name == name).id


@pytest.fixture
def feedback_meetup(make_meetup, make_case, people):
    """{"session", "cases": [agent's case, other agent's anonymous case], "queued": a case not on it}."""
    session = make_meetup(team=people["team_a"], going=[people["agent"], people["other_agent"]])
    first = make_case(people["agent"], title="Refund refused for jane.doe@example.org")
    second = make_case(people["other_agent"], anonymous=True, title="Courier lost the parcel again")
    queued = make_case(people["agent"], title="Still in the queue")
    for case in (first, second):
        meetups.add_to_agenda(people["coach_a"], session, case.id, 15)
    return {"session": session, "cases": [Case.get_by_id(first.id), Case.get_by_id(second.id)],
            "queued": queued}


@pytest.fixture
def raised_item(feedback_meetup, people):
    from learning.feedback.service import raise_item

    return raise_item(people["coach_a"], feedback_meetup["session"], "Let agents refund up to 50 EUR",
                      cause_id("No permission to fix it"), "Billing",
                      [case.id for case in feedback_meetup["cases"]])
