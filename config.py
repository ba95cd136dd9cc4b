"""Configuration classes, read from the environment.

`create_app()` picks one by `LEARNING_ENV` (development, testing, production);
a test passes a dict of overrides on top of TestingConfig.
"""
import os


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # None means: a SQLite file in the Flask instance folder.
    DATABASE_URL = os.environ.get("DATABASE_URL")
    LEARNING_TIMEZONE = os.environ.get("LEARNING_TIMEZONE", "Europe/Berlin")
    LEARNING_DEMO = _bool("LEARNING_DEMO", True)
    # Rolling horizon over which recurring series are expanded into sessions.
    SCHEDULE_HORIZON_DAYS = int(os.environ.get("SCHEDULE_HORIZON_DAYS", "365"))
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    PAGE_SIZE = 25
    # Team and programme progress read the summary of `flask progress rebuild` (run it hourly or
    # nightly) while it is younger than this; an older one is ignored and pages count live.
    PROGRESS_SUMMARY_MAX_AGE_MINUTES = int(os.environ.get("PROGRESS_SUMMARY_MAX_AGE_MINUTES", "1500"))
    # Set when a reverse proxy terminates HTTPS in front of the app (ProxyFix).
    PROXY_FIX = _bool("PROXY_FIX", False)
    # Strict-Transport-Security, for deployments served only over HTTPS: seconds browsers
    # keep to HTTPS (e.g. 31536000); 0 sends no header.
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
    HSTS_INCLUDE_SUBDOMAINS = _bool("HSTS_INCLUDE_SUBDOMAINS", False)
    TESTING = False
    # Mail (Flask-Mail's names). No MAIL_SERVER: mail is written to the log and marked sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Support Development <learning@localhost>")
    # Links in mail and calendars point here (outside a request).
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000/")
    # gzip pages and feeds here; set GZIP_RESPONSES=0 where the proxy compresses (learning/serving.py).
    GZIP_RESPONSES = _bool("GZIP_RESPONSES", True)
    MAIL_POLL_SECONDS = int(os.environ.get("MAIL_POLL_SECONDS", "15"))
    MAIL_LEASE_SECONDS = int(os.environ.get("MAIL_LEASE_SECONDS", "300"))
    MAIL_RETRY_BASE_SECONDS = int(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", "21600"))
    # Webhooks and chat posts (sent by the mail worker with the mail's lease and backoff).
    WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "5"))
    WEBHOOKS_ALLOW_HTTP_LOCALHOST = _bool("WEBHOOKS_ALLOW_HTTP_LOCALHOST", False)   # http://localhost receivers
    REMINDER_LEAD_HOURS = float(os.environ.get("REMINDER_LEAD_HOURS", "24"))
    REFRESHER_LEAD_DAYS = int(os.environ.get("REFRESHER_LEAD_DAYS", "30"))
    # Single sign-on (OpenID Connect; docs/operations.md#single-sign-on). On when the issuer, client id
    # and secret are set; the provider redirects back to <this site>/login/sso/callback.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None             # e.g. https://login.example.com/realms/support
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    OIDC_NAME = os.environ.get("OIDC_NAME") or "single sign-on"   # the button reads "Sign in with <name>"
    OIDC_CREATE_PEOPLE = _bool("OIDC_CREATE_PEOPLE", False)        # a first sign-in creates an agent...
    OIDC_DEFAULT_TEAM = os.environ.get("OIDC_DEFAULT_TEAM") or None  # ...in this team (an existing team's name)
    OIDC_ONLY = _bool("OIDC_ONLY", False)                          # only admins may still use a password
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))  # UTC hour after which daily digests go out
    # The JSON API's requests per token (or per address without one), in Flask-Limiter's notation;
    # counted in RATELIMIT_STORAGE_URI: memory:// counts per process, so give several servers one
    # redis://host:6379 (docs/operations.md#api-rate-limits).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    LEARNING_DEMO = False


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    LEARNING_DEMO = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(env_name):
    return CONFIGS.get(env_name or "development", DevelopmentConfig)
