"""Reading and changing the competency framework."""
from collections import OrderedDict

from learning.competencies.models import LEVELS, Competency, CompetencyLevel
from learning.db import db


class FrameworkError(ValueError):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def framework():
    """OrderedDict {area: [competency, ...]} with `competency.level_texts` filled, in two queries."""
    competencies = list(Competency.select().order_by(Competency.area, Competency.position, Competency.name))
    texts = {}
    for row in CompetencyLevel.select().order_by(CompetencyLevel.level):
        texts.setdefault(row.competency_id, {})[row.level] = row.descriptor
    areas = OrderedDict()
    for competency in sorted(competencies, key=lambda c: (area_rank(c.area), c.area, c.position, c.name)):
        competency.level_texts = texts.get(competency.id, {})
        areas.setdefault(competency.area, []).append(competency)
    return areas


FOUNDATION_AREA = "Professional boundaries"
AREA_ORDER = (FOUNDATION_AREA, "Service principles")


def area_rank(area):
    """The foundation first, then the principles, then advanced areas."""
    return AREA_ORDER.index(area) if area in AREA_ORDER else len(AREA_ORDER)


def choices():
    """(id, label) pairs for forms, in framework order (one query)."""
    rows = Competency.select(Competency.id, Competency.name, Competency.area, Competency.position).namedtuples()
    rows = sorted(rows, key=lambda c: (area_rank(c.area), c.area, c.position, c.name))
    return [(c.id, f"{c.name} ({c.area})") for c in rows]


@db.atomic()
def save_competency(competency, name, area, description, position, level_texts):
    name = name.strip()
    clash = Competency.get_or_none(Competency.name == name)
    if clash and (competency is None or clash.id != competency.id):
        raise FrameworkError("A competency with this name already exists.", "name")
    if competency is None:
        competency = Competency()
    competency.name, competency.area = name, area.strip()
    competency.description, competency.position = description or "", position or 0
    competency.save()
    CompetencyLevel.delete().where(CompetencyLevel.competency == competency).execute()
    CompetencyLevel.insert_many(
        [{"competency": competency.id, "level": level, "descriptor": text.strip()}
         for level, text in zip(LEVELS, level_texts)]
    ).execute()
    return competency
