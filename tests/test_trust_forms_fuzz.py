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
form or a 4xx), the database must hold exactly what it held before: every row of
every table is compared (SQLite: a digest of each table's rows; PostgreSQL: a trigger
on each table notes every row that changed), not only the counts.

The pages are read once per engine and test process for both tests (the world
they read is built the same way for each), and read again after the posts.
"""
import hashlib
import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from learning.accounts.models import Team, User
from learning.db import db, is_sqlite
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
# They may sign a seat out (the owner, or the seat itself everywhere): posted after the rest,
# once every page has been read again.
LAST = {"accounts.anonymise_user", "accounts.user_edit", "accounts.user_sign_out_everywhere",
        "accounts.sign_out_everywhere"}
GENERATED_EXAMPLES = 30


class FormReader(HTMLParser):
    """The post forms of a page: {action path: Fields}, with the values the page fills in."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path, self.forms, self.current, self.open_field = page_path, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = (attrs.get("action") or self.page_path).split("?")[0].split("#")[0] or self.page_path
                self.current = self.forms.setdefault(action, Fields())
        elif self.current is None:
            return
        elif tag in ("input", "button", "textarea", "select") and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower() if tag == "input" else tag
            checked = kind not in ("checkbox", "radio") or "checked" in attrs
            self.current.add(attrs["name"], kind, attrs.get("value") if checked else None)
            self.open_field = attrs["name"] if tag in ("textarea", "select") else None
        elif tag == "option" and self.open_field:
            self.current.offer(self.open_field, attrs.get("value", ""), "selected" in attrs)

    def handle_data(self, data):
        if self.open_field and self.current is not None and self.current.kinds.get(self.open_field) == "textarea" \
                and data.strip():
            self.current.values[self.open_field] = self.current.values.get(self.open_field, "") + data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        if tag in ("textarea", "select"):
            self.open_field = None


TEXT_KINDS = {"text", "textarea", "email", "search", "url", "tel"}
DATE_KINDS = {"date", "datetime-local"}


class Fields:
    """The named fields of the forms that post to one URL: kinds, and values a person would send."""

    def __init__(self):
        self.kinds, self.values = {}, {}

    @property
    def names(self):
        return sorted(self.kinds)

    def add(self, name, kind, value):
        if name in SKIP_FIELDS:
            return
        if kind in ("submit", "button"):   # a form sends the one button pressed: the last (save) stands for all
            for other in [n for n, k in self.kinds.items() if k in ("submit", "button")]:
                del self.kinds[other]
                self.values.pop(other, None)
        self.kinds.setdefault(name, kind)
        if value and value.strip():
            self.values.setdefault(name, value)

    def offer(self, name, value, selected):
        if value and value.strip() and (selected or name not in self.values):
            self.values[name] = value

    def update(self, other):
        for name, kind in other.kinds.items():
            self.add(name, kind, other.values.get(name))

    def names_of(self, kinds):
        return [name for name in self.names if self.kinds[name] in kinds]

    def plausible(self, name):
        """What a person would send: the page's value, or a sensible one for the field's kind."""
        kind = self.kinds[name]
        fillers = {"date": (date.today() + timedelta(days=14)).isoformat(), "number": "3", "select": "",
                   "time": "11:00" if "end" in name else "10:00", "email": "fuzz.person@example.org",
                   "password": "correct-horse-battery-staple"}
        if "url" in name or "link" in name:
            fillers[kind] = "https://example.org/room"
        return self.values.get(name, "").strip() or fillers.get(kind, "Plain words")

    def payload(self, value_of):
        """{name: value_of(name)}, files as uploads of that text."""
        data = {name: value_of(name) for name in self.names}
        for name in self.names_of({"file"}):
            data[name] = (io.BytesIO(data[name].encode("utf-8", "surrogatepass")), "upload.csv")
        return data


def signed_in_clients(app, world):
    clients = {}
    for seat in ROLES:
        clients[seat] = app.test_client()
        if seat != "anonymous":
            response = clients[seat].post("/login", data={"email": world[seat].email, "password": PASSWORD})
            assert response.status_code == 302
    return clients


def read_every_page(app, clients, world, failures):
    """{action path: (seat, Fields)} over every page the discovering seats can open; a page
    answering 5xx is added to `failures` (pages must keep working whatever the forms stored)."""
    forms = {}
    for url in page_urls(app, world):
        for seat in DISCOVERING_SEATS:
            response = clients[seat].get(url)
            if response.status_code >= 500:
                failures.append(f"{seat} GET {url} -> {response.status_code}")
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            reader = FormReader(url)
            reader.feed(response.get_data(as_text=True))
            for action, fields in reader.forms.items():
                if action not in forms:
                    forms[action] = (seat, Fields())
                forms[action][1].update(fields)
    return forms


def page_urls(app, world):
    return [build_url(rule, world) for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static" and rule.endpoint not in NOT_POSTED]


_first_readings = {}


def forms_of_a_new_world(app, clients, world, failures):
    """read_every_page on a world no post has touched yet. Both tests start from the same world
    (the same rows, so the same addresses), so its pages are read once per engine and test
    process; the addresses are part of the key, so a world built differently is read anew."""
    key = (app.config["DATABASE_URL"].split(":")[0], tuple(page_urls(app, world)))
    if key not in _first_readings:
        _first_readings[key] = read_every_page(app, clients, world, failures)
    return _first_readings[key]


def post_targets(app, forms, world, last=False):
    """(seat, url, Fields) for every POST route (those in LAST when `last`, the others when not)
    and every seat. A POST route no page shows a form for gets every field name seen anywhere."""
    everything = Fields()
    for _, fields in forms.values():
        everything.update(fields)
    targets = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" in rule.methods and rule.endpoint not in NOT_POSTED and (rule.endpoint in LAST) == last:
            url = build_url(rule, world)
            targets += [(seat, url, forms.get(url, (None, everything))[1]) for seat in ROLES]
    return targets


def database_contents():
    """{table: digest of its rows}: any changed, added or removed row changes the digest. One
    query for all tables; each row is written out as text by the database."""
    tables = [table for table in db.get_tables() if table not in REFUSAL_LOGS]
    rows_as_text = {table: "||','||".join(f'quote("{c.name}")' for c in db.get_columns(table)) for table in tables}
    parts = [f"SELECT '{table}', (SELECT group_concat(row, char(10)) FROM"
             f' (SELECT {rows_as_text[table]} AS row FROM "{table}" ORDER BY row))' for table in tables]
    rows = db.execute_sql(" UNION ALL ".join(parts)).fetchall()
    return {table: hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest() for table, text in rows}


class DigestWatch:
    """SQLite: the tables whose rows differ from the last look, by a digest of every row."""

    def __init__(self):
        self.before = database_contents()

    def changed(self):
        after = database_contents()
        tables = sorted(table for table in after if after[table] != self.before.get(table))
        self.before = after
        return tables


class TriggerWatch:
    """PostgreSQL: a trigger on every table notes each row inserted, deleted or changed (an
    UPDATE that leaves the row's text as it was is no change) and each TRUNCATE, in the same
    transaction as the write, so a rolled-back write leaves no note. Reading the notes is one
    query; a digest of every row of every table after each post cost 25 ms (a third of the test)."""

    def install(self):
        db.execute_sql("CREATE TABLE fuzz_changed (name text)")
        db.execute_sql("""CREATE FUNCTION fuzz_note() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP <> 'UPDATE' OR OLD::text IS DISTINCT FROM NEW::text THEN
                INSERT INTO fuzz_changed VALUES (TG_TABLE_NAME);
              END IF;
              RETURN NULL;
            END $$""")
        for table in db.get_tables():
            if table not in REFUSAL_LOGS | {"fuzz_changed"}:
                db.execute_sql(f'CREATE TRIGGER fuzz_rows AFTER INSERT OR UPDATE OR DELETE ON "{table}"'
                               f" FOR EACH ROW EXECUTE FUNCTION fuzz_note()")
                db.execute_sql(f'CREATE TRIGGER fuzz_truncate AFTER TRUNCATE ON "{table}"'
                               f" FOR EACH STATEMENT EXECUTE FUNCTION fuzz_note()")
        return self

    def changed(self):
        tables = sorted({name for (name,) in db.execute_sql("DELETE FROM fuzz_changed RETURNING name").fetchall()})
        return tables

    def remove(self):
        db.execute_sql("DROP FUNCTION fuzz_note() CASCADE")   # and every trigger calling it
        db.execute_sql("DROP TABLE fuzz_changed")


@pytest.fixture
def watch(app):
    """What changed in the database since the last look: `watch.changed()` -> table names."""
    if is_sqlite():
        yield DigestWatch()
        return
    watching = TriggerWatch().install()
    try:
        yield watching
    finally:
        watching.remove()


class RefusalChecker:
    """Posts and checks: no 5xx, and a refusal leaves every row as it was."""

    def __init__(self, clients, failures, watch):
        self.clients, self.failures, self.watch = clients, failures, watch
        watch.changed()

    def post(self, seat, url, data):
        files = any(isinstance(value, tuple) for value in data.values())
        response = self.clients[seat].post(url, data=data, content_type="multipart/form-data" if files else None)
        changed = self.watch.changed()
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{seat} POST {url} {data!r} -> {status}")
        elif (status == 200 or 400 <= status < 500) and changed:
            self.failures.append(f"{seat} POST {url} {data!r} was refused ({status}) but wrote {changed}")

    def post_hostile(self, seat, url, fields):
        """Control characters in every field, a date no form accepts in each date field."""
        dates = fields.names_of(DATE_KINDS)
        self.post(seat, url, fields.payload(lambda name: "0001-01-01" if name in dates else CONTROL_TEXT))


HUGE = "99999999999999999999"


@pytest.mark.long
def test_every_form_from_every_seat_refuses_control_characters_far_dates_and_huge_numbers(app, world, watch):
    """Every POST route from every seat, with control characters in each text field and a
    date no form accepts in each date field; the seat that found a route's form (each
    discovering seat, for a route no page shows a form for) also posts a number no column
    holds in every field, and the discovering seats open every id route with such an id
    (SQLite's driver cannot bind it). Then every page still opens (before the posts that may sign a seat out,
    which come last)."""
    failures = []
    clients = signed_in_clients(app, world)
    forms = forms_of_a_new_world(app, clients, world, failures)
    assert "/series/new" in forms and "/admin/teams/new" in forms, "forms were not found on their pages"
    checker = RefusalChecker(clients, failures, watch)
    for url, (seat, fields) in sorted(forms.items()):
        for hostile, kinds in ((CONTROL_TEXT, TEXT_KINDS), ("0001-01-01", DATE_KINDS)):
            for field in fields.names_of(kinds):
                checker.post(seat, url, fields.payload(lambda name: hostile if name == field else fields.plausible(name)))
    for seat, url, fields in post_targets(app, forms, world):
        checker.post_hostile(seat, url, fields)
        if seat == forms.get(url, (seat,))[0] and seat in DISCOVERING_SEATS:
            checker.post(seat, url, fields.payload(lambda name: HUGE))
    for seat in DISCOVERING_SEATS:
        for rule in app.url_map.iter_rules():
            ids = [a for a in rule.arguments if isinstance(rule._converters.get(a), IntegerConverter)]
            if "GET" in rule.methods and ids:
                url = rule.build({a: int(HUGE) if a in ids else OBJECT_FACTORIES[a](world) for a in rule.arguments},
                                 append_unknown=False)[1]
                if clients[seat].get(url).status_code != 404:
                    failures.append(f"{seat} GET {url} -> not 404")
    assert clients["admin"].get(f"/sessions?page={HUGE}").status_code == 200
    read_every_page(app, clients, world, failures)
    for seat, url, fields in post_targets(app, forms, world, last=True):
        checker.post_hostile(seat, url, fields)
    assert not failures, "\n".join(failures)
    assert not stored_control_characters()


def stored_control_characters():
    """Every single-line column holding a control character, or prose column holding one
    other than a line break or tab, after the hostile posts that were accepted."""
    from learning.plain_text import CONTROL, PROSE_CONTROL, LineField, ProseField
    from tests.test_trust_plain_text import all_models

    found = []
    for model in all_models():
        for field in model._meta.sorted_fields:
            pattern = CONTROL if isinstance(field, LineField) else PROSE_CONTROL if isinstance(field, ProseField) else None
            if pattern is not None:
                found += [f"{model._meta.table_name}.{field.name}: {value!r}"
                          for (value,) in model.select(field).tuples() if value and pattern.search(value)]
    return found


def test_forms_survive_generated_input_from_every_seat(app, world, watch):
    failures = []
    clients = signed_in_clients(app, world)
    forms = forms_of_a_new_world(app, clients, world, failures)
    targets = post_targets(app, forms, world) + post_targets(app, forms, world, last=True)
    checker = RefusalChecker(clients, failures, watch)

    @settings(max_examples=GENERATED_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_generated(data):
        seat, url, fields = data.draw(st.sampled_from(targets))
        checker.post(seat, url, fields.payload(lambda name: data.draw(VALUES)))
        assert not failures, "\n".join(failures)

    post_generated()
    read_every_page(app, clients, world, failures)
    assert not failures, "\n".join(failures)


def test_the_watch_sees_each_written_row_and_nothing_else(app, people, make_user, watch):
    """What the refusal checks rely on: an insert, a change, a delete show; a write that leaves
    the row as it was, a read and a rolled-back write do not."""
    team = people["team_a"]
    assert watch.changed() == []
    Team.update(name=team.name).where(Team.id == team.id).execute()
    list(User.select())
    with db.atomic() as transaction:
        Team.update(name="Rolled back").where(Team.id == team.id).execute()
        transaction.rollback()
    assert watch.changed() == []
    Team.update(name="Renamed").where(Team.id == team.id).execute()
    assert watch.changed() == ["team"]
    make_user("agent", team=team)
    assert "user" in watch.changed()
    spare = Team.create(name="Spare")
    assert watch.changed() == ["team"]
    spare.delete_instance()
    assert watch.changed() == ["team"]
