"""Uploads kept between their preview and their confirmation (the measures import, the
people import, and a new measures export while its columns are mapped). A kept upload is a row of a model with `token` (random, unique),
`uploaded_by` and `uploaded_at`, plus whatever its import needs to write it later; only
the person who uploaded it may confirm it, once, and uploads older than a day go."""
import secrets
from datetime import timedelta

from learning.db import db, for_update, utcnow
from learning.refusals import Refused

MAX_AGE = timedelta(days=1)


def keep(model, user, **fields):
    """Keep an upload for `user` to confirm (clearing stale ones); returns its token."""
    token = secrets.token_urlsafe(32)
    with db.atomic():
        model.delete().where(model.uploaded_at < utcnow() - MAX_AGE).execute()
        model.create(token=token, uploaded_by=user, **fields)
    return token


def pending_for(model, token, user):
    """The upload `user` previewed under `token`, or None."""
    return model.select().where(model.token == (token or ""), model.uploaded_by == user.id).first()


def claim(pending):
    """`pending` re-read under a lock in the caller's transaction, so that two confirmations
    of one upload queue and the second finds it gone: refused as imported already."""
    model = type(pending)
    locked = for_update(model.select().where(model.id == pending.id)).first()
    if locked is None:
        raise Refused("This file was imported already.")
    return locked
