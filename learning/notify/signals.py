"""Signals notify sends; higher packages subscribe in their own folders.
"""
from blinker import signal

# sender: the worker's name; now: the round's time (UTC). Sent once per round of the mail
# worker (`flask send-mail`), after mail is sent, outside any transaction: other outboxes
# (webhook and chat deliveries) deliver what is due in the same loop operators already run.
worker_round = signal("notify.worker-round")
