"""Responses as they leave the app: gzip for pages and feeds (weak ETag, 304 still answered),
fingerprinted static files cached for a year; and what a worker does once the app is loaded."""
import gc
import gzip
import os
import re
import runpy

from learning.worker_memory import settle
from tests.conftest import PASSWORD

GZIP = {"Accept-Encoding": "gzip, deflate"}


def test_pages_are_gzipped_for_clients_that_accept_it(client, people):
    client.post("/login", data={"email": people["agent"].email, "password": PASSWORD})
    plain = client.get("/")
    packed = client.get("/", headers=GZIP)
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data).decode().count("<html") == 1
    assert len(packed.data) < len(plain.data)


def test_small_answers_and_redirects_are_left_alone(client, people):
    answer = client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in answer.headers
    redirect = client.get("/", headers=GZIP)
    assert redirect.status_code == 302 and "Content-Encoding" not in redirect.headers


def test_a_gzipped_feed_has_a_weak_etag_that_still_answers_304(client, dst_programme, feed_url):
    url = feed_url(dst_programme["agent"])
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] == "W/" + plain.headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_gzip_can_be_left_to_the_proxy(app, client, people):
    assert client.get("/login", headers=GZIP).headers["Content-Encoding"] == "gzip"
    app.config["GZIP_RESPONSES"] = False
    assert "Content-Encoding" not in client.get("/login", headers=GZIP).headers


def test_static_files_have_fingerprinted_addresses_cached_for_a_year(client, people):
    page = client.get("/login").get_data(as_text=True)
    address = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    fresh = client.get(address)
    assert fresh.status_code == 200
    assert "immutable" in fresh.headers["Cache-Control"] and "max-age=31536000" in fresh.headers["Cache-Control"]
    fresh.close()
    for stale in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        answer = client.get(stale)
        assert "no-cache" in answer.headers["Cache-Control"] and "immutable" not in answer.headers["Cache-Control"]
        answer.close()


def test_nul_characters_are_refused_whole_before_any_view(client, people):
    from learning.accounts.throttle import LoginFailure

    before = LoginFailure.select().count()
    assert client.post("/login", data={"email": "a\x00@example.org", "password": "x"}).status_code == 400
    assert LoginFailure.select().count() == before
    client.post("/login", data={"email": people["agent"].email, "password": PASSWORD})
    assert client.get("/library?q=calm%00down").status_code == 400
    assert client.get("/library?q=calm").status_code == 200


def test_workers_take_the_loaded_app_out_of_full_collections():
    """gunicorn calls settle once a worker has loaded the app (production's and the benchmark's
    settings): afterwards the collector's full passes skip everything that existed then."""
    root = os.path.dirname(os.path.dirname(__file__))
    for settings in ("gunicorn.conf.py", "bench/gunicorn_bench.py"):
        assert runpy.run_path(os.path.join(root, settings))["post_worker_init"] is settle
    loaded = ["an object of the loaded app"]
    assert any(o is loaded for o in gc.get_objects())
    try:
        settle()
        assert gc.get_freeze_count() > 0
        assert not any(o is loaded for o in gc.get_objects())   # frozen objects are not tracked
    finally:
        gc.unfreeze()
