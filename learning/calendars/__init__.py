"""Calendars: personal and programme iCalendar feeds, secret feed tokens,
single-event downloads and .ics import. Feed tokens are masked in request logs by
learning.request_log."""
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("Calendar", "calendars.calendar_page", order=60, prefix="/calendar"))
