"""Flask-Login wiring: load the user from the session, refusing stale sessions."""
from urllib.parse import urlsplit

from flask import g, has_request_context, request
from flask_login import LoginManager

from learning.accounts import api_tokens
from learning.accounts.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"


# The JSON API (learning/api) lives under this path and authenticates by a personal access
# token in `Authorization: Bearer` only, never by the session cookie: the API takes no CSRF
# token, so honouring the cookie there would let any web page act as the signed-in person.
API_PATH = "/api/"


def is_api_request():
    return has_request_context() and request.path.startswith(API_PATH)


@login_manager.user_loader
def load_user(session_id):
    if is_api_request():
        return None
    # The id is "<user id>:<session version>"; a deactivated user, or one whose
    # version moved on (password changed, deactivated), is signed out.
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = User.get_or_none(User.id == int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(request):
    """An API request's person, from its Bearer token (accounts/api_tokens.py); the token is kept in
    `g.api_token` for its scope. A request that also carries a remember-me cookie never gets here
    (Flask-Login tries that cookie instead, which the API refuses): API clients send no cookies."""
    if not is_api_request():
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = api_tokens.token_for_secret(secret.strip())
    if token is None:
        return None
    api_tokens.note_use(token)
    g.api_token = token
    return token.user


def init_login(app):
    login_manager.init_app(app)


# Browsers drop tabs and line breaks from a URL and read "\" as "/", so
# "/\t/evil.example" or "/\\evil.example" become "//evil.example": another site
# (WHATWG URL standard, "basic URL parser"). Such a value is refused whole.
_BROWSER_STRIPPED = {chr(code) for code in range(0x20)} | {"\x7f", "\\"}


def same_site_path(target):
    """`target` when it is a path on this site as a browser would read it; otherwise None."""
    if not target or any(char in _BROWSER_STRIPPED for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return None
    return target
