"""Calendars: personal and programme iCalendar feeds, secret feed tokens,
single-event downloads and .ics import."""


def register(app):
    from learning.calendars import logfilter
    from learning.templating import NavItem, add_nav_item

    logfilter.install()
    add_nav_item(app, NavItem("Calendar", "calendars.calendar_page", order=60, prefix="/calendar"))
