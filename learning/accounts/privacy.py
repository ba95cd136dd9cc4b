"""Personal data: everything the app holds about a person, as JSON, and
anonymising a departed employee while aggregate history stays.

The export walks every model with a foreign key to User, so a capability added
later is included without changes here. Secrets (password and token hashes)
are left out. Coaches' private notes refer to their author, the coach, so they
are part of the coach's export, not the employee's.
"""
import json
import secrets
from datetime import date, datetime

import peewee as pw

from learning.accounts.models import User
from learning.accounts.service import end_sessions
from learning.accounts.signals import account_changed
from learning.db import BaseModel, db
from learning.refusals import Refused

EXCLUDED_FIELDS = {"password_hash", "token_hash", "session_version", "secret"}
# a pending people file holds everyone's rows, not the uploader's own data
EXCLUDED_MODELS = {"LoginFailure", "SchemaVersion", "PendingPeopleImport"}


def _all_models():
    seen, stack = [], list(BaseModel.__subclasses__())
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if model.__name__ not in EXCLUDED_MODELS:
            seen.append(model)
    return sorted(seen, key=lambda m: m._meta.table_name)


def _user_fields(model):
    return [f for f in model._meta.sorted_fields if isinstance(f, pw.ForeignKeyField) and f.rel_model is User]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(model, row):
    return {f.column_name: _plain(row.get(f.column_name)) for f in model._meta.sorted_fields
            if f.name not in EXCLUDED_FIELDS and f.column_name in row}


def personal_data(user):
    """{table: [rows...]} of every row that refers to `user` (one query per table)."""
    result = {"user": [_row(User, User.select().where(User.id == user.id).dicts().get())]}
    for model in _all_models():
        fields = _user_fields(model)
        if model is User or not fields:
            continue
        condition = fields[0] == user.id
        for field in fields[1:]:
            condition |= field == user.id
        rows = [_row(model, r) for r in model.select().where(condition).dicts()]
        if rows:
            result[model._meta.table_name] = rows
    return result


def personal_data_json(user):
    return json.dumps({"exported_for": user.email, "data": personal_data(user)}, indent=2, ensure_ascii=False)


@db.atomic()
def anonymise(user, actor):
    """Replace a departed employee's identity; their attendance, ratings and other
    history stay, counted under an anonymous name."""
    if user.id == actor.id:
        raise Refused("You cannot anonymise yourself.")
    account_changed.send(user, actor=actor, action="user.anonymised", summary=f"person #{user.id}")
    user.display_name = f"Former employee #{user.id}"
    user.email = f"former-{user.id}@anonymised.invalid"
    user.employee_id = None
    user.set_password(secrets.token_urlsafe(32))
    user.active = False
    user.save()
    return end_sessions(user)
