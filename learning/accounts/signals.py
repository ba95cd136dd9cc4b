"""Signals accounts send; the audit log subscribes in its own package. They fire inside
the transaction of the change, so a roll-back undoes the reaction too.
"""
from blinker import signal

# sender: User whose account changed; actor: the person who changed it (or None);
# action: "user.role-changed" | "user.deactivated" | "user.reactivated" |
# "user.signed-out-everywhere" | "user.anonymised"; summary: a line for the log.
account_changed = signal("accounts.account-changed")
