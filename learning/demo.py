"""Loads the demo programme from seeds/: each capability's `demo.load(context)` in order.

Each loader is idempotent on its own (it checks for its own rows first), so a
second run adds nothing and a database seeded by an older version gains the
newer capabilities' demo data.
"""
import importlib
import json
import os

from learning import CAPABILITIES, has_module
from learning.db import db

SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")
DEMO_PASSWORD = "learning-demo"


def read_seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
        return json.load(handle)


def load_demo(progress=print):
    context = {}
    for name in CAPABILITIES:
        if not has_module(name, "demo"):
            continue
        module = importlib.import_module(f"learning.{name}.demo")
        with db.atomic():
            added = module.load(context)
        progress(f"{name}: {added or 'already there'}")
    return context
