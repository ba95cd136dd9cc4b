"""Shared web helpers: access rules for routes, pagination, time display, security headers.

Every view declares who may call it with exactly one of `public`, `employee`,
`role_required(...)` or `token_access`. `check_access_rules(app)` refuses to
start an app with a view that declares none. Ownership ("may this person see
this object?") lives in each package's service and answers 404.
"""
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, flash, g, request, session, url_for
from werkzeug.routing import IntegerConverter
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup, escape

from learning.forms_common import DB_INT_MAX
from learning.refusals import NotAllowed, NotFound, Refused
from learning.timezones import to_local

# CSRF on every POST; `csrf.exempt` only for a route a signed token authorises instead.
csrf = CSRFProtect()

ROLE_RANK = {"agent": 1, "coach": 2, "admin": 3}


def _declare(view, rule):
    view.access_rule = rule
    return view


def public(view):
    """Anyone, signed in or not."""
    return _declare(view, "public")


def token_access(view):
    """Anyone holding a secret token in the URL (calendar feeds, unsubscribe links)."""
    return _declare(view, "token")


def employee(view):
    """Any signed-in, active person."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)
    return _declare(wrapped, "employee")


def role_required(role):
    """Signed-in people whose role is at least `role` (admin > coach > agent); others get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if ROLE_RANK.get(current_user.role, 0) < ROLE_RANK[role]:
                abort(403)
            return view(*args, **kwargs)
        return _declare(wrapped, role)
    return decorator


def check_access_rules(app):
    missing = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access_rule")
    ]
    if missing:
        raise RuntimeError(f"Routes without an access rule: {', '.join(sorted(missing))}")


def get_or_404(model, *conditions):
    obj = model.get_or_none(*conditions)
    if obj is None:
        abort(404)
    return obj


def first_or_404(query):
    """The query's first row, or 404."""
    obj = query.first()
    if obj is None:
        abort(404)
    return obj


def visible_or_404(model, object_id, rule):
    """The row with `object_id` if `rule(current_user, row)` lets the person see it; else 404."""
    return allowed_or_404(rule, get_or_404(model, model.id == object_id))


def allowed_or_404(rule, obj):
    """`obj` if `rule(current_user, obj)` holds (can_manage_session, say); else 404."""
    if not rule(current_user, obj):
        abort(404)
    return obj


def show_refusal(form, refusal):
    """A service's refusal beside the form field it names, on the form, or (form None) flashed."""
    field = getattr(form, refusal.field, None) if form is not None and refusal.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(refusal)]
    elif form is not None:
        form.form_errors.append(str(refusal))
    elif refusal.link:
        endpoint, values, text = refusal.link
        flash(escape(str(refusal)) + Markup(f' <a href="{url_for(endpoint, **values)}">{escape(text)}</a>'), "error")
    else:
        flash(str(refusal), "error")


def attempt(form, change, *args, **kwargs):
    """Run a service change and return its result; when it is refused, show the refusal
    (`show_refusal`) and return None, so the route shows the form again. NotFound and
    NotAllowed go on to their error pages."""
    try:
        return change(*args, **kwargs)
    except (NotFound, NotAllowed):
        raise
    except Refused as refusal:
        show_refusal(form, refusal)
        return None


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every URL: a number past what a database column holds
    matches no route (404) instead of reaching a query that cannot bind it."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_arg(name, default=None, minimum=None, maximum=DB_INT_MAX):
    """An integer query-string argument; anything unparsable gives `default`."""
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return default
    if minimum is not None and value < minimum:
        return default
    if maximum is not None and value > maximum:
        return default
    if value < -DB_INT_MAX:
        return default
    return value


# --- pagination -------------------------------------------------------------

@dataclass
class Page:
    """One page of a list. Its length is not counted (counting every row of a long list costs
    more than finding a page of it): one row past the page says whether another follows.
    `arg` is the query-string name of the page number."""
    items: list
    number: int
    size: int
    has_next: bool
    arg: str = "page"

    @property
    def has_previous(self):
        return self.number > 1


def paginate(query, arg="page", size=None):
    """The page of `query` named by `?<arg>=`, in one query: a page's rows and one more."""
    size = size or current_app.config["PAGE_SIZE"]
    number = int_arg(arg, 1, minimum=1, maximum=100000)
    found = list(query.limit(size + 1).offset((number - 1) * size))
    return Page(items=found[:size], number=number, size=size, has_next=len(found) > size, arg=arg)


# --- time display -----------------------------------------------------------

def viewer_zone():
    # The person is looked up once: every time on a list page asks (each look-up through the proxy costs).
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated:
        return user.timezone
    return current_app.config["LEARNING_TIMEZONE"]


def format_local(utc_naive, fmt="%a %d %b %Y, %H:%M", zone_name=None):
    """A stored UTC time as wall-clock text in the viewer's zone, with the zone named."""
    if utc_naive is None:
        return ""
    local = to_local(utc_naive, zone_name or viewer_zone())
    return f"{local.strftime(fmt)} {local.tzname()}"


def time_tag(utc_naive, fmt="%a %d %b %Y, %H:%M", zone_name=None):
    if utc_naive is None:
        return ""
    iso = utc_naive.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Markup(f'<time datetime="{iso}">{escape(format_local(utc_naive, fmt, zone_name))}</time>')


# --- security headers ---------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def no_referrer():
    """Pages that show a secret URL (calendar feeds) send no Referer at all."""
    g.referrer_policy = "no-referrer"


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # A view's own policy (a feed's no-referrer) stands.
    response.headers.setdefault("Referrer-Policy", g.get("referrer_policy", "same-origin"))
    if request.endpoint != "static" and "_user_id" in session:  # Flask-Login's mark of a signed-in session
        # A signed-in page holds someone's data: no copy in any cache, shared or not,
        # nor in the browser's back history after signing out.
        response.headers["Cache-Control"] = "no-store"
        response.expires = None
    hsts = current_app.config.get("HSTS_SECONDS", 0)
    if hsts:
        # Browsers ignore it over plain HTTP (RFC 6797 section 8.1), so it is sent as configured.
        subdomains = "; includeSubDomains" if current_app.config.get("HSTS_INCLUDE_SUBDOMAINS") else ""
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}{subdomains}")
    return response
