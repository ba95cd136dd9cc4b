"""Users, teams and team coaches."""
import peewee as pw
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from learning.db import BaseModel, utcnow
from learning.plain_text import LineField

ROLES = ("agent", "coach", "admin")
ROLE_LABELS = {"agent": "Agent", "coach": "Coach", "admin": "Admin"}


class Team(BaseModel):
    name = LineField(max_length=100, unique=True)
    created_at = pw.DateTimeField(default=utcnow)

    def __str__(self):
        return self.name


class User(UserMixin, BaseModel):
    email = LineField(max_length=254, unique=True)  # stored lower-cased
    display_name = LineField(max_length=100)
    password_hash = LineField(max_length=255)
    role = LineField(max_length=10, index=True, default="agent")
    team = pw.ForeignKeyField(Team, null=True, backref="members", on_delete="SET NULL")
    timezone = LineField(max_length=64)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)
    session_version = pw.IntegerField(default=1)
    employee_id = LineField(max_length=64, null=True, unique=True)   # from the HR list; None when not known
    start_date = pw.DateField(null=True)
    last_sign_in_at = pw.DateTimeField(null=True, index=True)

    def __str__(self):
        return self.display_name

    def save(self, force_insert=False, only=None):
        # An update never writes session_version: a copy loaded before a
        # sign-out everywhere would otherwise put the old number back and
        # revive the sessions it ended. Only end_sessions() moves it.
        if only is None and not force_insert and self._pk is not None:
            only = [field for field in self._meta.sorted_fields
                    if field is not User.session_version and field is not User.id]
        return super().save(force_insert=force_insert, only=only)

    # Flask-Login: the id carries the session version, so raising it signs
    # the user out of every existing session and remember-me cookie.
    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_coach(self):
        return self.role in ("coach", "admin")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


class TeamCoach(BaseModel):
    team = pw.ForeignKeyField(Team, backref="coach_links", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="coached_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("team", "user"), True),)


class PendingPeopleImport(BaseModel):
    """A people file an admin previewed, kept under a random token until they confirm it."""
    token = LineField(max_length=64, unique=True)
    file_name = LineField(max_length=200)
    content = pw.TextField()
    options = LineField(max_length=200)        # JSON: sync, create_teams, plans_to
    digest = LineField(max_length=64)
    uploaded_by = pw.ForeignKeyField(User, on_delete="CASCADE")
    uploaded_at = pw.DateTimeField(default=utcnow, index=True)


class ApiToken(BaseModel):
    """A personal access token for the JSON API (learning/api). Only the SHA-256 hash of the
    secret is kept (accounts/api_tokens.py); `prefix` is its first characters, to tell tokens apart."""
    user = pw.ForeignKeyField(User, backref="api_tokens", on_delete="CASCADE")
    name = LineField(max_length=100)
    scope = LineField(max_length=10)               # read | write
    prefix = LineField(max_length=16)
    token_hash = LineField(max_length=64, unique=True)
    created_at = pw.DateTimeField(default=utcnow)
    last_used_at = pw.DateTimeField(null=True)     # updated at most once a minute
    revoked_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "revoked_at"), False),)


MODELS = [Team, User, TeamCoach, PendingPeopleImport, ApiToken]
