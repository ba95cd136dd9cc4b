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
    # Set when a reverse proxy terminates HTTPS in front of the app (ProxyFix).
    PROXY_FIX = _bool("PROXY_FIX", False)
    TESTING = False


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
