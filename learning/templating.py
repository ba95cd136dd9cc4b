"""Template helpers: filters, navigation by role, and dashboard panels.

Capabilities add navigation items and dashboard panels from their own
`register(app)`, so the layout and the dashboard never need to know them.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from flask import current_app, request, url_for
from flask_login import current_user

from learning import web
from learning.csv_files import export_url
from learning.markdown_text import render_markdown
from learning.wording import count_of


BADGE_MAX = 99   # a badge counts at most one more than this (a bounded query), then shows "99+"


@dataclass
class NavItem:
    label: str
    endpoint: str
    role: str = "agent"
    order: int = 50
    badge: Optional[Callable] = None  # badge(user) -> int, shown when above zero ("99+" above BADGE_MAX)
    prefix: str = ""                  # URL prefix that marks the item current
    group: str = ""                   # items of a group share one disclosure ("Admin")
    link: Optional[Callable] = None   # link(user) -> URL, when it depends on who looks
    also: tuple = ()                  # other endpoints that mark the item current
    corner: bool = False              # shown beside the person's name, not in the main navigation


@dataclass
class Panel:
    """A dashboard panel: `load(user)` returns the template's context, or None to hide it."""
    template: str
    load: Callable
    order: int = 50


def add_nav_item(app, item):
    items = app.extensions.setdefault("learning_nav", [])
    items.append(item)
    items.sort(key=lambda i: i.order)


def add_panel(app, panel):
    panels = app.extensions.setdefault("learning_panels", [])
    panels.append(panel)
    panels.sort(key=lambda p: p.order)


@dataclass
class NavLink:
    """One navigation item as this viewer sees it."""
    label: str
    url: str
    count: int
    current: bool


def nav_for(user):
    """(main, corner): the main navigation as (group, links) pairs this user's role may see, the
    ungrouped links first, each group after them in the order of its first item; and the links
    shown beside the person's name. Links carry their badge counts."""
    if not user.is_authenticated:
        return [], []
    groups, corner = {"": []}, []
    for item in current_app.extensions.get("learning_nav", []):
        if web.ROLE_RANK[user.role] < web.ROLE_RANK[item.role]:
            continue
        link = NavLink(item.label, item.link(user) if item.link else url_for(item.endpoint),
                       item.badge(user) if item.badge else 0, is_current(item))
        (corner if item.corner else groups.setdefault(item.group, [])).append(link)
    return [(group, links) for group, links in groups.items() if links], corner


def is_current(item):
    if item.prefix:
        return request.path.startswith(item.prefix)
    return request.endpoint == item.endpoint or request.endpoint in item.also


def panels_for(user):
    loaded = []
    for panel in current_app.extensions.get("learning_panels", []):
        context = panel.load(user)
        if context is not None:
            loaded.append((panel.template, context))
    return loaded


def register_template_helpers(app):
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["localtime"] = web.format_local
    app.jinja_env.globals["time_tag"] = web.time_tag
    app.jinja_env.filters["count_of"] = count_of
    app.jinja_env.globals["viewer_zone"] = web.viewer_zone
    app.jinja_env.globals["export_url"] = export_url

    @app.context_processor
    def layout_context():
        main, corner = nav_for(current_user)
        return {"nav_items": main, "corner_items": corner, "badge_max": BADGE_MAX}
