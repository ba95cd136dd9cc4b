"""Loads the demo programme from seeds/: each capability's `demo.load(context)` in order.

Each loader is idempotent on its own (it checks for its own rows first), so a
second run adds nothing and a database seeded by an older version gains the
newer capabilities' demo data.
"""
from learning.accounts import demo as accounts_demo
from learning.calendars import demo as calendars_demo
from learning.cases import demo as cases_demo
from learning.coaching import demo as coaching_demo
from learning.competencies import demo as competencies_demo
from learning.curriculum import demo as curriculum_demo
from learning.db import db
from learning.feedback import demo as feedback_demo
from learning.notify import demo as notify_demo
from learning.outreach import demo as outreach_demo
from learning.progress import demo as progress_demo
from learning.schedule import demo as schedule_demo
from learning.webhooks import demo as webhooks_demo
from learning.wellbeing import demo as wellbeing_demo

DEMO_PASSWORD = "learning-demo"
# In dependency order: each loader may use what the ones before it put in the context.
LOADERS = (
    ("accounts", accounts_demo), ("competencies", competencies_demo), ("schedule", schedule_demo),
    ("cases", cases_demo), ("curriculum", curriculum_demo), ("coaching", coaching_demo),
    ("calendars", calendars_demo), ("notify", notify_demo), ("outreach", outreach_demo), ("progress", progress_demo),
    ("feedback", feedback_demo),
    ("wellbeing", wellbeing_demo), ("webhooks", webhooks_demo),
)


def load_demo(progress=print):
    context = {}
    for name, module in LOADERS:
        with db.atomic():
            added = module.load(context)
        progress(f"{name}: {added or 'already there'}")
    return context
