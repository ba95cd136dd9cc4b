"""Demo service measures: twelve months for every demo agent, improving through
the year (a little unevenly, as real months are), ending last month. Last month
arrives as the admin's import of a CSV file, so the import page shows a log
entry that can be undone; then the monthly progress summary, as the nightly
`flask progress rebuild` would leave it. A saved measure source reads
seeds/measures-export-sample.csv (a helpdesk's CSAT per agent, as a fraction)."""
import random

from learning.db import utcnow
from learning.progress.measure_imports import import_file
from learning.progress.measure_sources import Mapping, save_source, source_for
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


DEMO_SOURCE_COLUMNS = ["Agent email", "Agent name", "Date", "Satisfaction (0-1)", "Solved tickets"]


def load(context):
    admin = next((u for u in context.get("users", {}).values() if u.role == "admin"), None)
    if source_for(DEMO_SOURCE_COLUMNS) is None:
        save_source(Mapping("Helpdesk CSAT by agent", "Agent email", "email", "Date",
                            {"csat": ("Satisfaction (0-1)", "fraction")}), DEMO_SOURCE_COLUMNS, admin)
    if ServiceMeasure.select().exists():
        return None
    agents = [u for u in context.get("users", {}).values() if u.role == "agent"]
    definitions = {d.name: d for d in measure_definitions() if d.name in TRENDS}
    if not agents or not definitions:
        return None
    zone = agents[0].timezone
    months = [add_months(m, -1) for m in last_months(zone, 12)]
    now = utcnow()
    earlier, latest = months[:-1], months[-1]
    values = {agent: demo_values(agent.email, months) for agent in agents}
    rows = [{"user": agent.id, "month": month, "measure": definitions[name].id, "value": value,
             "imported_at": now}
            for agent in agents for (month, name), value in values[agent].items()
            if name in definitions and month in earlier]
    ServiceMeasure.insert_many(rows).execute()
    names = list(definitions)
    text = f"email,month,{','.join(names)}\n" + "".join(
        f"{agent.email},{latest:%Y-%m},{','.join(repr(values[agent][(latest, n)]) for n in names)}\n"
        for agent in agents)
    plan, _ = import_file(text, f"service-measures-{latest:%Y-%m}.csv", admin)
    zones = rebuild(zone)
    return (f"{len(rows) + len(plan.new)} service measure values for {len(agents)} agents (the last month "
            f"imported); progress summary for {len(zones)} zones")
