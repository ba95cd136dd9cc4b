"""The competency framework: competencies in areas, each with five level descriptors."""
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("Competencies", "competencies.index", order=80, prefix="/competencies"))
