"""Flask-Login wiring: load the user from the session, refusing stale sessions."""
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
