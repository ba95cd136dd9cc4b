"""The competency framework: competencies in areas, each with five level descriptors."""


def register(app):
    from learning.templating import NavItem, add_nav_item

    add_nav_item(app, NavItem("Competencies", "competencies.index", order=80, prefix="/competencies"))
