"""Demo service measures: twelve months for every demo agent, improving through
the year (a little unevenly, as real months are), ending last month; then the
monthly progress summary, as the nightly `flask progress rebuild` would leave it."""
import random

from learning.db import utcnow
from learning.progress.measures import measure_definitions
from learning.progress.models import ServiceMeasure
from learning.progress.periods import add_months, last_months
from learning.progress.rebuild import rebuild

# measure name -> (value a year ago, gain per month)
TRENDS = {"csat": (76.0, 1.3), "fcr": (62.0, 1.6), "quality": (70.0, 1.4)}


def demo_values(email, months):
    """{(month, measure name): value} for one agent; the same every run."""
    rng = random.Random(email)
    offset = rng.uniform(-5, 5)
    values = {}
    for i, month in enumerate(months):
        for name, (start, gain) in TRENDS.items():
            value = start + offset + gain * i + rng.uniform(-2.0, 2.0)
            values[(month, name)] = round(min(99.0, max(0.0, value)), 1)
    return values


def load(context):
    if ServiceMeasure.select().exists():
        return None
    agents = [u for u in context.get("users", {}).values() if u.role == "agent"]
    definitions = {d.name: d for d in measure_definitions() if d.name in TRENDS}
    if not agents or not definitions:
        return None
    zone = agents[0].timezone
    months = [add_months(m, -1) for m in last_months(zone, 12)]
    now = utcnow()
    rows = [{"user": agent.id, "month": month, "measure": definitions[name].id, "value": value,
             "imported_at": now}
            for agent in agents for (month, name), value in demo_values(agent.email, months).items()
            if name in definitions]
    ServiceMeasure.insert_many(rows).execute()
    zones = rebuild(zone)
    return f"{len(rows)} service measure values for {len(agents)} agents; progress summary for {len(zones)} zones"
