"""The OpenAPI 3.1 description of the JSON API, assembled in one place from what each view
declares beside itself with `@documented(...)`, and served at /api/v1/openapi.json.

A view's declaration is one operation; the path, its path parameters, the security scheme and
the problem responses every operation shares are added here, so a view says only what is its
own: a summary, its success response, its query parameters and its body."""
import re

from flask import current_app

API_PREFIX = "/api/v1"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
COMPONENTS = {}

_PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                   "description": "Messages per field of a refused body."},
        "needs_confirmation": {"type": "boolean", "description": "Send the request again with `\"confirm\": true`."},
        "affected": {"type": "integer"},
    },
}
_COMMON_ERRORS = {
    "400": "Malformed JSON, or a cursor or query value that cannot be read.",
    "401": "No token, or one that is unknown, revoked or whose owner left.",
    "429": "Too many requests for this token; see `Retry-After`.",
}


def component(name, schema):
    """Declare a named schema (components/schemas) and return a reference to it."""
    COMPONENTS[name] = schema
    return ref(name)


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item_ref):
    """The schema of a cursor page of `item_ref` (learning/api/cursor.py)."""
    return {"type": "object", "required": ["items", "next"], "properties": {
        "items": {"type": "array", "items": item_ref},
        "next": {"type": ["string", "null"], "description": "The next page's URL; null on the last page."}}}


def query(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


PAGING = (query("limit", "Items per page, 1 to 100 (default 25).", {"type": "integer", "minimum": 1, "maximum": 100}),
          query("cursor", "The `next` link's cursor, as given: opaque."))


def documented(summary, response, status=200, parameters=(), body=None, errors=(), description=None):
    """Declare a view's OpenAPI operation: `response` the success body's schema (None: no body),
    `errors` the status codes beyond those every operation may answer, `body` the request body's schema."""
    def decorator(view):
        view.openapi = {"summary": summary, "response": response, "status": status, "parameters": list(parameters),
                        "body": body, "errors": errors, "description": description}
        return view
    return decorator


def _operation(endpoint, method, rule, declared):
    responses = {str(declared["status"]): {"description": "Success"}}
    if declared["response"] is not None:
        responses[str(declared["status"])]["content"] = {"application/json": {"schema": declared["response"]}}
    codes = dict(_COMMON_ERRORS)
    if getattr(current_app.view_functions[endpoint], "access_rule", "") == "public":
        codes.pop("401")
    if rule.arguments:
        codes["404"] = "Nothing with this id, or nothing the token's owner may see."
    if method not in SAFE_METHODS:
        codes["403"] = "A read-only token, or a role that may not make this change."
    if declared["body"] is not None:
        codes["415"] = "The body is not `application/json`."
        codes["422"] = "The body was refused: `errors` names the fields."
    for code in declared["errors"]:
        codes.setdefault(str(code), {403: "The role may not do this.", 409: "The thing's state refuses it."}
                         .get(code, "See `detail`."))
    for code, text in codes.items():
        responses[code] = {"description": text, "content": {"application/problem+json": {"schema": ref("Problem")}}}
    operation = {"operationId": endpoint.replace(".", "_"), "summary": declared["summary"],
                 "tags": [endpoint.split(".")[0]], "responses": responses}
    if declared["description"]:
        operation["description"] = declared["description"]
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
                  for name in sorted(rule.arguments)] + declared["parameters"]
    if parameters:
        operation["parameters"] = parameters
    if declared["body"] is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": declared["body"]}}}
    if getattr(current_app.view_functions[endpoint], "access_rule", "") == "public":
        operation["security"] = []
    return operation


def openapi_path(rule):
    """A Flask rule's path in OpenAPI's form: `<int:session_id>` becomes `{session_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def api_operations(app):
    """(method, rule, declaration or None) for every API route of the app."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule, getattr(app.view_functions[rule.endpoint], "openapi", None)


def document():
    paths = {}
    for method, rule, declared in api_operations(current_app):
        if declared is not None:
            paths.setdefault(openapi_path(rule), {})[method.lower()] = _operation(rule.endpoint, method, rule, declared)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Support Development System API", "version": "1.0.0",
                 "description": "Personal access tokens (made on your profile) as `Authorization: Bearer`. "
                                "Errors are problem details (RFC 9457). Lists page by cursor: follow `next`."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal access token, `sds_...`."}},
            "schemas": {"Problem": _PROBLEM, **dict(sorted(COMPONENTS.items()))},
        },
    }
