"""The Support Development System: create_app() wires configuration, database,
login, CSRF, the blueprints of every capability, the CLI and error pages."""
import logging
import os

from flask import Flask

import config as config_module
from learning import (accounts, api, audit, calendars, cases, coaching, competencies, curriculum, feedback, home,
                      notify, outreach, progress, schedule, webhooks, wellbeing)
from learning import db as database
from learning import web
from learning.accounts.import_routes import bp as people_import_bp
from learning.accounts.login import init_login
from learning.accounts.password_routes import bp as passwords_bp
from learning.accounts.sso_routes import bp as sso_bp
from learning.accounts.routes import bp as accounts_bp
from learning.audit.routes import bp as audit_bp
from learning.calendars.routes import bp as calendars_bp
from learning.cases.agenda_routes import bp as agenda_bp
from learning.cases.routes import bp as cases_bp
from learning.cli import register_cli
from learning.coaching.checkin_routes import bp as checkins_bp
from learning.coaching.grid_routes import bp as rating_grid_bp
from learning.coaching.routes import bp as coaching_bp
from learning.coaching.template_routes import bp as plan_templates_bp
from learning.competencies.routes import bp as competencies_bp
from learning.curriculum.routes import bp as curriculum_bp
from learning.errors import register_error_pages
from learning.feedback.routes import bp as feedback_bp
from learning.home.routes import bp as home_bp
from learning.notify.routes import bp as notify_bp
from learning.outreach.routes import bp as outreach_bp
from learning.progress.routes import bp as progress_bp
from learning.request_log import init_request_log
from learning.schedule.routes import bp as schedule_bp
from learning.schedule.enrolment_routes import bp as enrolment_bp
from learning.serving import init_serving
from learning.wellbeing.routes import bp as wellbeing_bp
from learning.webhooks.routes import bp as webhooks_bp
from learning.templating import register_template_helpers
from learning.web import csrf

BLUEPRINTS = (
    accounts_bp, passwords_bp, sso_bp, competencies_bp, home_bp, schedule_bp, enrolment_bp, cases_bp, agenda_bp,
    curriculum_bp, coaching_bp, checkins_bp, rating_grid_bp, plan_templates_bp, calendars_bp, notify_bp, progress_bp,
    audit_bp, people_import_bp, outreach_bp, feedback_bp, wellbeing_bp, webhooks_bp,
)
# Each package's set-up: navigation items, dashboard panels, CLI commands and signal subscribers.
SET_UPS = (
    accounts.register, competencies.register, home.register, schedule.register, cases.register,
    curriculum.register, coaching.register, calendars.register, notify.register, progress.register,
    audit.register, outreach.register, feedback.register, wellbeing.register, webhooks.register, api.register,
)


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

    init_request_log(app)
    init_serving(app)
    init_login(app)
    register_error_pages(app)
    register_cli(app)
    register_template_helpers(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for set_up in SET_UPS:
        set_up(app)
    web.check_access_rules(app)
    logging.basicConfig(level=logging.INFO)
    return app


def _check_secret(app):
    if os.environ.get("LEARNING_ENV") == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production.")
