"""Outreach fixtures: the route-by-role declarations for team announcements and nudges."""
from datetime import date, timedelta


def owners_announcement(world):
    from learning.accounts.service import coaches_of
    from learning.outreach.service import announce

    if "announcement" not in world:
        owner = world["owner"]
        world["announcement"] = announce(coaches_of(owner)[0], owner.team, "Route check",
                                         date.today() + timedelta(days=3))
    return world["announcement"]


def pytest_collection_finish(session):
    """Declare once the test modules are imported (importing them earlier defeats assertion rewriting)."""
    from tests import test_trust_routes as trust

    trust.OBJECT_FACTORIES.setdefault("announcement_id", lambda world: owners_announcement(world).id)
    trust.VISIBLE_TO.update({endpoint: {"coach_same", "admin"} for endpoint in (
        "outreach.announcements", "outreach.withdraw", "outreach.who_hasnt_page", "outreach.nudge")})
