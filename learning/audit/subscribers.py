"""Audit entries for account changes, which accounts (a lower package) announces by
signal; recorded in the same transaction. Higher packages call `record` themselves."""
from learning.accounts.signals import account_changed
from learning.audit.service import record


def account_change(user, actor=None, action="", summary="", **extra):
    record(actor, action, user, summary)


def connect():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    account_changed.connect(account_change, weak=False)
