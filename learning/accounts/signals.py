"""Signals accounts send; the audit log, the schedule, modules, coaching and (to come)
invitations subscribe in their own packages. They fire inside
the transaction of the change, so a roll-back undoes the reaction too.
"""
from blinker import signal

# sender: User whose account changed; actor: the person who changed it (or None);
# action: "user.role-changed" | "user.deactivated" | "user.reactivated" |
# "user.signed-out-everywhere" | "user.anonymised"; summary: a line for the log.
account_changed = signal("accounts.account-changed")

# sender: the person who added them (None: the command line); user_ids: the ids of people
# just created, by hand or by an import, who have no password yet. Invitations subscribe
# (accounts/sign_in_links.py).
people_created = signal("accounts.people-created")

# sender: the purpose, "invitation" | "reset" | "welcome" (single sign-on only: no link);
# links: [(User, token or None, expires_at or None), ...]. Notify mails them.
sign_in_links_issued = signal("accounts.sign-in-links-issued")

# sender: User who left (deactivated by hand or by an import's sync); actor: who did it
# (None: the command line); plans_to: the coach (User) their open coaching plans go to,
# or None to close them. Listeners release the person's future places and plans.
person_left = signal("accounts.person-left")
