"""Calendars: personal and programme iCalendar feeds, secret feed tokens,
single-event downloads and .ics import."""
