"""The JSON API under /api/v1 for integrations (helpdesk, HR list, chat tools): personal access
tokens as Bearer, the pages' permission rules, cursor pages, rate limits, problem details and
an OpenAPI 3.1 description. Each topic is a `*_routes.py` module with its own blueprint made by
`endpoints.api_blueprint`; add it to BLUEPRINTS below."""
from learning.api.cases_routes import bp as cases_bp
from learning.api.endpoints import limiter
from learning.api.measures_routes import bp as measures_bp
from learning.api.people_routes import bp as people_bp
from learning.api.problems import answer_error
from learning.api.routes import bp as api_bp
from learning.api.series_routes import bp as series_bp
from learning.api.sessions_routes import bp as sessions_bp
from learning.errors import answer_errors_under

BLUEPRINTS = (api_bp, sessions_bp, series_bp, cases_bp, measures_bp, people_bp)


def register(app):
    app.config.setdefault("API_RATE_LIMIT", "120 per minute")
    limiter.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    answer_errors_under("/api/", answer_error)
