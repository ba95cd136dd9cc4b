"""Competencies and their level descriptors (1 to 5)."""
import peewee as pw

from learning.db import BaseModel
from learning.plain_text import LineField, ProseField

LEVELS = (1, 2, 3, 4, 5)


class Competency(BaseModel):
    name = LineField(max_length=120, unique=True)
    description = ProseField(default="")
    area = LineField(max_length=80, index=True)
    position = pw.IntegerField(default=0)

    def __str__(self):
        return self.name


class CompetencyLevel(BaseModel):
    competency = pw.ForeignKeyField(Competency, backref="levels", on_delete="CASCADE")
    level = pw.IntegerField()
    descriptor = ProseField()

    class Meta:
        indexes = ((("competency", "level"), True),)


MODELS = [Competency, CompetencyLevel]
