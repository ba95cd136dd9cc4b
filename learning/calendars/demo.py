"""Demo calendar feeds: a few people already have calendar feeds on /calendar (their
addresses, shown only when made, are made anew with "New address")."""
from learning.calendars import service
from learning.calendars.models import FeedToken
from learning.seeds import read_seed
from learning.wording import count_of


def load(context):
    users = context.get("users", {})
    added = 0
    for entry in read_seed("calendars.json")["feeds"]:
        user = users.get(entry["email"])
        if user is None:
            continue
        scope, key = entry["scope"], entry.get("key", "")
        if FeedToken.select().where(FeedToken.user == user, FeedToken.scope == scope,
                                    FeedToken.scope_key == key).exists():
            continue
        service.subscribe(user, scope, key)
        added += 1
    return f"{count_of(added, 'calendar feed')}" if added else None
