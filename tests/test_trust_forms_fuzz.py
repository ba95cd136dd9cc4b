"""Hostile input: every form, posted with generated values by each role, never
answers 500 and never writes part of a refusal.

Forms are found from the URL map: each route that accepts POST and GET is
fetched to learn its field names, then hypothesis posts generated values
(empty, huge, unicode, control characters, wrong types, impossible dates,
negative numbers). When the app refuses (a re-displayed form or a 4xx), no
table may have changed.
"""
import re

from hypothesis import HealthCheck, given, settings
from werkzeug.routing import IntegerConverter
from hypothesis import strategies as st

from learning.db import db
from tests.conftest import PASSWORD
from tests.test_trust_routes import OBJECT_FACTORIES, build_url

NASTY = st.sampled_from([
    "", " ", "0", "-1", "-999999999999", "99999999999999999999", "1.5", "NaN", "true", "[]", "{}",
    "2026-02-30", "0000-00-00", "9999-12-31T23:59", "2026-13-45T25:61", "25:00", "\x00", "\u202e\u0000\x1f",
    "<script>alert(1)</script>", "' OR 1=1 --", "😀" * 50, "x" * 5000, "Europe/Atlantis", "a@b", "../../etc/passwd",
])
VALUES = st.one_of(NASTY, st.text(max_size=40), st.integers(-10**6, 10**6).map(str))
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrf_token"}
# Tables a refusal is meant to write: the record of failed sign-ins.
REFUSAL_LOGS = {"login_failure"}


def form_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and "GET" in rule.methods and rule.endpoint != "static":
            if all(argument in OBJECT_FACTORIES for argument in rule.arguments):
                yield rule


def row_counts():
    return {table: db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in db.get_tables() if table not in REFUSAL_LOGS}


def field_names(client, url):
    body = client.get(url).get_data(as_text=True)
    return sorted(set(FIELD.findall(body)) - SKIP_FIELDS)


def test_forms_survive_generated_input_from_every_role(app, people):
    from learning.competencies.service import save_competency

    world = {"owner": people["agent"], "coach_same": people["coach_a"], "admin": people["admin"],
             "competency": save_competency(None, "Fuzz", "Area", "", 0, list("abcde"))}
    clients = {}
    for role in ("agent", "coach_a", "admin"):
        clients[role] = app.test_client()
        clients[role].post("/login", data={"email": people[role].email, "password": PASSWORD})
    targets = []
    for rule in form_routes(app):
        url = build_url(rule, world)
        for role, client in clients.items():
            names = field_names(client, url)
            if names:
                targets.append((role, url, names))
    assert targets, "no forms found"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_generated(data):
        role, url, names = data.draw(st.sampled_from(targets))
        payload = {name: data.draw(VALUES) for name in names}
        before = row_counts()
        response = clients[role].post(url, data=payload)
        assert response.status_code < 500, f"{role} POST {url} {payload!r} -> {response.status_code}"
        if response.status_code == 200 or 400 <= response.status_code < 500:
            assert row_counts() == before, f"{role} POST {url} {payload!r} was refused but wrote rows"

    post_generated()


HUGE = "99999999999999999999"


def test_numbers_past_what_a_column_holds_are_refused_not_crashed(app, people):
    """Every form, with every field set to a number no database column holds, and every
    URL with such an id, answers without a 500 (SQLite's driver cannot bind it)."""
    from learning.competencies.service import save_competency

    world = {"owner": people["agent"], "coach_same": people["coach_a"], "admin": people["admin"],
             "competency": save_competency(None, "Huge", "Area", "", 0, list("abcde"))}
    failures = []
    for role in ("agent", "coach_a", "admin"):
        client = app.test_client()
        client.post("/login", data={"email": people[role].email, "password": PASSWORD})
        for rule in form_routes(app):
            url = build_url(rule, world)
            names = field_names(client, url)
            if not names:
                continue
            before = row_counts()
            status = client.post(url, data={name: HUGE for name in names}).status_code
            if status >= 500 or (status == 200 and row_counts() != before):
                failures.append(f"{role} POST {url} -> {status}")
        for rule in app.url_map.iter_rules():
            ids = [a for a in rule.arguments if isinstance(rule._converters.get(a), IntegerConverter)]
            if "GET" not in rule.methods or not ids or not all(a in OBJECT_FACTORIES for a in rule.arguments):
                continue
            url = rule.build({a: int(HUGE) if a in ids else OBJECT_FACTORIES[a](world) for a in rule.arguments},
                             append_unknown=False)[1]
            status = client.get(url).status_code
            if status != 404:
                failures.append(f"{role} GET {url} -> {status}")
    assert not failures, "\n".join(failures)
    assert client.get(f"/sessions?page={HUGE}").status_code == 200
