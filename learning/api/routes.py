"""The API's own description: /api/v1/openapi.json (public, as any API description is)."""
from learning.api.endpoints import api_blueprint
from learning.api.openapi import document, documented
from learning.web import public

bp = api_blueprint("api", __name__)


@bp.get("/openapi.json")
@public
@documented("This description of the API (OpenAPI 3.1)", {"type": "object"})
def openapi():
    return document()
