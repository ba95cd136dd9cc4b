"""Hostile input: every form, posted with generated values from every seat, never
answers 5xx and never writes part of a refusal.

The forms are found, not listed: every page of the URL map is fetched by the
seats that see most forms, each `<form method="post">` on it is read for its
action and field names, and every POST route of the URL map is posted to, with
the fields of the forms that post there (a POST route no page links a form to
gets every field name seen anywhere). So a new form, or a new POST route, is
covered without touching this file.

Each route is first swept from every seat with control characters in every
field (line breaks, ESC, BEL, C1, Unicode line separators) and with a date no
form accepts; then hypothesis posts generated values (empty, huge, unicode,
control characters, wrong types, impossible dates, negative numbers, random
file contents) to routes drawn at random. When the app refuses (a re-displayed
form or a 4xx), the database must hold exactly what it held before: every row
of every table is compared, not only the counts.
"""
import hashlib
import io
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from learning.db import db
from tests.conftest import PASSWORD
from tests.test_trust_routes import OBJECT_FACTORIES, ROLES, build_url, world  # noqa: F401 (world: fixture)

CONTROL_TEXT = "Line one\r\nX-Injected: yes\x07\x1b[2J\x85\u2028\x7f\tend"
NASTY = st.sampled_from([
    "", " ", "0", "-1", "-999999999999", "99999999999999999999", "1.5", "NaN", "true", "[]", "{}",
    "2026-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "9999-12-31T23:59", "2026-13-45T25:61", "25:00",
    "\x00", "\u202e\u0000\x1f", CONTROL_TEXT, "Title\nBEGIN:VEVENT", "a\rb", "\u2028", "\x1b[31mred",
    "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(\"x\")", "😀" * 50, "x" * 5000, "Europe/Atlantis",
    "a@b", "../../etc/passwd", "https://example.org/\r\nx",
])
CONTROLS = st.text(alphabet=st.sampled_from("ab :\t\r\n\x01\x07\x0b\x0c\x1b\x7f\x85\x9f\u2028\u2029"), max_size=30)
VALUES = st.one_of(NASTY, CONTROLS, st.text(max_size=40), st.integers(-10**6, 10**6).map(str))
SKIP_FIELDS = {"csrf_token"}
# Tables a refusal is meant to write: the record of failed sign-ins.
REFUSAL_LOGS = {"login_failure"}
DISCOVERING_SEATS = ("owner", "coach_same", "admin")   # between them, every form the app shows
NOT_POSTED = {"accounts.logout"}                         # it would end the seat's session mid-way


class FormReader(HTMLParser):
    """The post forms of a page: {action path: ({field names}, {file field names})}."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path, self.forms, self.current = page_path, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = (attrs.get("action") or self.page_path).split("?")[0].split("#")[0] or self.page_path
                self.current = self.forms.setdefault(action, (set(), set()))
        elif tag in ("input", "select", "textarea", "button") and self.current is not None and attrs.get("name"):
            if attrs["name"] not in SKIP_FIELDS:
                files = tag == "input" and (attrs.get("type") or "").lower() == "file"
                self.current[1 if files else 0].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def signed_in_clients(app, world):
    clients = {}
    for seat in ROLES:
        clients[seat] = app.test_client()
        if seat != "anonymous":
            response = clients[seat].post("/login", data={"email": world[seat].email, "password": PASSWORD})
            assert response.status_code == 302
    return clients


def discovered_forms(app, clients, world):
    """{action path: (field names, file field names)} over every page the discovering seats can open."""
    forms = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint in NOT_POSTED:
            continue
        url = build_url(rule, world)
        for seat in DISCOVERING_SEATS:
            response = clients[seat].get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            reader = FormReader(url)
            reader.feed(response.get_data(as_text=True))
            for action, (names, files) in reader.forms.items():
                known = forms.setdefault(action, (set(), set()))
                known[0].update(names)
                known[1].update(files)
    return forms


def post_targets(app, clients, world):
    """(seat, url, field names, file field names) for every POST route and every seat."""
    forms = discovered_forms(app, clients, world)
    every_name = set().union(*(names for names, _ in forms.values()))
    every_file = set().union(*(files for _, files in forms.values()))
    targets = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in NOT_POSTED:
            continue
        url = build_url(rule, world)
        names, files = forms.get(url, (every_name, every_file))
        for seat in ROLES:
            targets.append((seat, url, sorted(names), sorted(files)))
    return targets, forms


def database_contents():
    """{table: digest of its rows}: any changed, added or removed row changes the digest."""
    contents = {}
    for table in db.get_tables():
        if table in REFUSAL_LOGS:
            continue
        rows = db.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        contents[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return contents


def payload_for(names, files, value_of):
    data = {name: value_of(name) for name in names}
    for name in files:
        data[name] = (io.BytesIO(value_of(name).encode("utf-8", "surrogatepass")), "upload.csv")
    return data


class RefusalChecker:
    """Posts and checks: no 5xx, and a refusal leaves every row as it was."""

    def __init__(self, clients):
        self.clients, self.before, self.failures = clients, database_contents(), []

    def post(self, seat, url, data):
        response = self.clients[seat].post(url, data=data, content_type="multipart/form-data")
        after = database_contents()
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{seat} POST {url} {data!r} -> {status}")
        elif status == 200 or 400 <= status < 500:
            changed = sorted(table for table in after if after[table] != self.before.get(table))
            if changed:
                self.failures.append(f"{seat} POST {url} {data!r} was refused ({status}) but wrote {changed}")
        self.before = after
        return status


def test_every_form_from_every_seat_refuses_control_characters_and_far_dates_without_a_5xx(app, world):
    clients = signed_in_clients(app, world)
    targets, forms = post_targets(app, clients, world)
    assert "/series/new" in forms and "/admin/teams/new" in forms, "forms were not found on their pages"
    checker = RefusalChecker(clients)
    for seat, url, names, files in targets:
        for value in (CONTROL_TEXT, "0001-01-01"):
            checker.post(seat, url, payload_for(names, files, lambda name: value))
    assert not checker.failures, "\n".join(checker.failures)


def test_forms_survive_generated_input_from_every_seat(app, world):
    clients = signed_in_clients(app, world)
    targets, _ = post_targets(app, clients, world)
    checker = RefusalChecker(clients)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_generated(data):
        seat, url, names, files = data.draw(st.sampled_from(targets))
        checker.post(seat, url, payload_for(names, files, lambda name: data.draw(VALUES)))
        assert not checker.failures, "\n".join(checker.failures)

    post_generated()


HUGE = "99999999999999999999"


def test_numbers_past_what_a_column_holds_are_refused_not_crashed(app, world):
    """Every form, with every field set to a number no database column holds, and every
    URL with such an id, answers without a 500 (SQLite's driver cannot bind it)."""
    clients = signed_in_clients(app, world)
    targets, _ = post_targets(app, clients, world)
    checker = RefusalChecker(clients)
    for seat, url, names, files in targets:
        if seat in DISCOVERING_SEATS:
            checker.post(seat, url, payload_for(names, files, lambda name: HUGE))
    failures = list(checker.failures)
    for seat in DISCOVERING_SEATS:
        for rule in app.url_map.iter_rules():
            ids = [a for a in rule.arguments if isinstance(rule._converters.get(a), IntegerConverter)]
            if "GET" not in rule.methods or not ids:
                continue
            url = rule.build({a: int(HUGE) if a in ids else OBJECT_FACTORIES[a](world) for a in rule.arguments},
                             append_unknown=False)[1]
            status = clients[seat].get(url).status_code
            if status != 404:
                failures.append(f"{seat} GET {url} -> {status}")
    assert not failures, "\n".join(failures)
    assert clients["admin"].get(f"/sessions?page={HUGE}").status_code == 200
