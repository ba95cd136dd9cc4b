"""How requests enter and responses leave the app: NUL characters refused, gzip for
pages and feeds, fingerprinted static files.

gzip: HTML, calendar feeds, CSV and JSON over 1 KB are compressed when the client
accepts gzip (`GZIP_RESPONSES`, on by default; turn it off where the proxy
compresses). A compressed answer's strong ETag becomes weak (W/"..."): the bytes
differ, the content does not, and If-None-Match compares weakly (RFC 9110), so
a calendar app holding the gzip copy still gets its 304. Written here rather
than taken from Flask-Compress, which rewrites strong ETags to "<tag>:gzip" and
so would defeat the feeds' conditional answers.

Static files: `url_for("static", ...)` adds `?v=<hash of the file>`; a request
carrying the current hash is answered with a year-long immutable cache
lifetime, so browsers never re-ask, and a changed file gets a new address.
"""
import gzip
import hashlib
import os

from flask import abort, current_app, request

COMPRESSIBLE = {"text/html", "text/calendar", "text/csv", "application/json"}
MIN_SIZE = 1024
YEAR = 365 * 24 * 3600


def init_serving(app):
    app.before_request(refuse_nul_characters)
    app.url_defaults(_fingerprint_static)
    app.after_request(_cache_static)
    app.after_request(_compress)


def refuse_nul_characters():
    """A NUL character is never meant in a form, a query or an address, and PostgreSQL
    cannot store or compare one: such a request is refused whole (400) before any view."""
    values = [request.path, *request.args.values()]
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += request.form.values()
    if any("\x00" in value for value in values):
        abort(400)
    return None


def _compress(response):
    if not current_app.config.get("GZIP_RESPONSES", True) or response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (response.direct_passthrough or response.is_streamed or response.status_code in (204, 304)
            or response.status_code < 200 or "Content-Encoding" in response.headers
            or request.accept_encodings["gzip"] <= 0):
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(data, compresslevel=5, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


_hashes = {}


def static_hash(filename):
    """A short hash of a static file's bytes (cached per process, keyed by its mtime)."""
    path = os.path.join(current_app.static_folder, filename)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return None
    cached = _hashes.get(path)
    if cached is None or cached[0] != stamp:
        with open(path, "rb") as handle:
            cached = (stamp, hashlib.sha256(handle.read()).hexdigest()[:12])
        _hashes[path] = cached
    return cached[1]


def _fingerprint_static(endpoint, values):
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_hash(values["filename"])
        if version:
            values["v"] = version


def _cache_static(response):
    if request.endpoint == "static" and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == static_hash(filename):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None  # Flask's send_file default, contradicting immutable
            response.expires = None
        else:
            response.cache_control.no_cache = True
            response.cache_control.max_age = None
            response.cache_control.immutable = False
    return response
