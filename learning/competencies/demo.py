"""The seeded competency framework (seeds/framework.json): boundaries first, the five
service principles, and the advanced areas."""
from learning.competencies.models import Competency
from learning.competencies.service import save_competency
from learning.seeds import read_seed


def load(context):
    added = 0
    for position, item in enumerate(read_seed("framework.json")):
        if not Competency.select().where(Competency.name == item["name"]).exists():
            save_competency(None, item["name"], item["area"], item["description"], item.get("position", position),
                            item["levels"])
            added += 1
    context["competencies"] = {c.name: c for c in Competency.select()}
    return f"{added} competencies" if added else None
