"""The Support Development System: create_app() wires configuration, database,
login, CSRF, the blueprints of every capability, the CLI and error pages."""
import importlib
import importlib.util
import logging
import os

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import config as config_module
from learning import db as database
from learning import web

csrf = CSRFProtect()

# Capabilities in dependency order. Each is a sub-package with `routes.bp`
# and, optionally, `register(app)` for signal subscribers and dashboard panels.
CAPABILITIES = (
    "accounts", "competencies", "home", "schedule", "cases", "curriculum",
    "coaching", "calendars", "notify", "progress", "audit",
)


def has_module(capability, module):
    """Is `learning.<capability>.<module>` present? (Capabilities land one by one.)"""
    if importlib.util.find_spec(f"learning.{capability}") is None:
        return False
    return importlib.util.find_spec(f"learning.{capability}.{module}") is not None


def installed_capabilities():
    return [name for name in CAPABILITIES if has_module(name, "routes")]


def create_app(test_config=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__, instance_relative_config=True,
        template_folder=os.path.join(root, "templates"), static_folder=os.path.join(root, "static"),
    )
    app.config.from_object(config_module.config_for(os.environ.get("LEARNING_ENV")))
    if test_config:
        app.config.update(test_config)
    _check_secret(app)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "learning.db")
    database.init_database(app.config["DATABASE_URL"])

    app.before_request(database.open_connection)
    app.teardown_request(database.close_connection)
    app.after_request(web.set_security_headers)
    csrf.init_app(app)
    app.url_map.converters["int"] = web.RowIdConverter

    from learning.accounts.login import init_login
    from learning.errors import register_error_pages
    from learning.cli import register_cli
    from learning.templating import register_template_helpers
    from learning.request_log import init_request_log
    from learning.serving import init_serving

    init_request_log(app)
    init_serving(app)
    init_login(app)
    register_error_pages(app)
    register_cli(app)
    register_template_helpers(app)
    for name in installed_capabilities():
        package = importlib.import_module(f"learning.{name}")
        routes = importlib.import_module(f"learning.{name}.routes")
        app.register_blueprint(routes.bp)
        if hasattr(package, "register"):
            package.register(app)
    web.check_access_rules(app)
    logging.basicConfig(level=logging.INFO)
    return app


def _check_secret(app):
    if os.environ.get("LEARNING_ENV") == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production.")
