"""Signed unsubscribe tokens: one person, one kind of notice, no login needed."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "notify-unsubscribe"


def _serializer(secret=None):
    return URLSafeSerializer(secret or current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id, kind, secret=None):
    return _serializer(secret).dumps([int(user_id), kind])


def read_unsubscribe_token(token):
    """(user_id, kind), or None for a forged or damaged token."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(user_id), str(kind)
