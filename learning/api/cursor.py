"""Cursor pagination for the API's lists. The cursor is opaque to clients: base64 of the last
item's sort key, so the next page starts after it (WHERE key > last, in the same order) and a
row written meanwhile neither repeats nor hides one. A page reads `limit + 1` rows to know
whether another follows; nothing is ever counted."""
import base64
import binascii
import json
from datetime import datetime
from urllib.parse import urlencode

import peewee as pw
from flask import request, url_for

from learning.api.problems import stop
from learning.forms_common import DB_INT_MAX

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def page_limit():
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        stop(400, f"`limit` is a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def encode_cursor(values):
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(text, keys):
    """The sort key values a cursor holds, typed as `keys`' fields; a 400 problem for anything else."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode())
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_typed(field, value) for field, value in zip(keys, values)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        stop(400, "The cursor cannot be read: use the `next` link as given.")


def _typed(field, value):
    if isinstance(field, pw.DateTimeField):
        if not isinstance(value, str):
            raise ValueError
        return datetime.fromisoformat(value)
    if isinstance(field, (pw.IntegerField, pw.AutoField, pw.ForeignKeyField)):
        if type(value) is not int or not -DB_INT_MAX <= value <= DB_INT_MAX:
            raise ValueError
        return value
    if not isinstance(value, str):
        raise ValueError
    return value


def _after(keys, values):
    """Rows after `values` in ascending order of `keys` (a lexicographic comparison)."""
    condition = None
    for position, field in enumerate(keys):
        step = field > values[position]
        for earlier, value in zip(keys[:position], values[:position]):
            step &= earlier == value
        condition = step if condition is None else condition | step
    return condition


def _key_of(row, keys):
    return [getattr(row, field.name if not isinstance(field, pw.ForeignKeyField) else field.object_id_name)
            for field in keys]


def cursor_page(query, keys, describe):
    """{"items": describe(rows), "next": URL or None} for the page of `query` after `?cursor=`,
    ordered by `keys` (fields of the query's own model, ascending, the last one unique, such
    as `(Session.starts_at, Session.id)`). `describe` turns the page's rows into JSON items at once."""
    limit = page_limit()
    query = query.order_by(*keys)
    cursor = request.args.get("cursor")
    if cursor is not None:
        query = query.where(_after(keys, decode_cursor(cursor, keys)))
    rows = list(query.limit(limit + 1))
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        args = [(name, value) for name, value in request.args.items(multi=True) if name != "cursor"]
        args.append(("cursor", encode_cursor(_key_of(rows[-1], keys))))
        following = url_for(request.endpoint, **(request.view_args or {}), _external=True) + "?" + urlencode(args)
    return {"items": describe(rows), "next": following}
