"""Signals outreach sends; higher packages (webhooks: the team's chat) subscribe in their own
folders. They fire inside the transaction of the change, so a roll-back undoes the reaction too.
"""
from blinker import signal

# sender: Announcement just posted to its team (body, author, expires_at set).
announced = signal("outreach.announced")
