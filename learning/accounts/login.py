"""Flask-Login wiring: load the user from the session, refusing stale sessions."""
from urllib.parse import urlsplit

from flask_login import LoginManager

from learning.accounts.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id):
    # The id is "<user id>:<session version>"; a deactivated user, or one whose
    # version moved on (password changed, deactivated), is signed out.
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = User.get_or_none(User.id == int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


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
