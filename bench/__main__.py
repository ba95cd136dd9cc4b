"""`python -m bench --scale 0.1`: generate the organisation, serve it with
gunicorn, drive every page with the load client, print the table and write
bench/results.json. See docs/benchmark.md for how to read it."""
import argparse
import json
import os
import subprocess
import sys
import time

from bench import api_requests, database, report, scenario, steps
from bench.generate import PASSWORD, generate
from bench.inprocess import bench_app, feed_baseline, queries_per_request
from bench.server import ROOT, Server
from learning.accounts.models import User
from learning.progress.rebuild import rebuild

RESULTS = os.path.join(ROOT, "bench", "results.json")


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1, help="size of the organisation (1: 5,000 people)")
    parser.add_argument("--compare-scales", help="two scales, e.g. 0.25,1: run both and compare p50")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load per page")
    parser.add_argument("--concurrency", type=int, default=4, help="connections at once")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="a PostgreSQL URL: run there (in a fresh schema) instead of SQLite")
    parser.add_argument("--sqlite-dir", default=None, help="where the SQLite file goes (default /tmp/bench-data)")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--schema", help="the PostgreSQL schema to use (default bench_<scale>)")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="run the pages against the organisation an earlier run generated at this scale "
                             "(migrated to the current schema, not regenerated)")
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="do not rebuild the progress summary first (with --reuse: keep the one already there)")
    parser.add_argument("--pages", help="measure only the pages whose names contain one of these comma-separated "
                                        "words (the floor is always measured), e.g. --pages feed,progress")
    args = parser.parse_args(argv)
    if args.reuse and args.generate_only:
        parser.error("--reuse runs an organisation already generated: it cannot be combined with --generate-only")
    return args


def prepare(scale, args):
    pg_url = args.database_url if args.database_url and args.database_url.startswith("postgres") else None
    url = database.database_url(scale, pg_url, args.sqlite_dir, args.schema, fresh=not args.reuse)
    started = time.perf_counter()
    database.migrate(url)
    if args.reuse:
        print(f"Reusing the organisation generated at scale {scale} on {database.engine_name(url)}.",
              file=sys.stderr)
        return url, None, None
    org = generate(scale)
    seconds = time.perf_counter() - started
    print(f"Generated the organisation at scale {scale} on {database.engine_name(url)} in {seconds:.1f} s "
          f"({sum(org.counts.values()):,} rows).", file=sys.stderr)
    return url, seconds, org


def warm_progress(app):
    """What production's nightly `flask progress rebuild` leaves: the monthly progress summary
    counted for every zone team and programme pages are viewed in."""
    started = time.perf_counter()
    with app.app_context():
        database.database.db.connect(reuse_if_open=True)
        zones = rebuild(app.config["LEARNING_TIMEZONE"])
        database.database.db.close()
    seconds = time.perf_counter() - started
    print(f"Progress summary rebuilt for {len(zones)} zones in {seconds:.1f} s (the nightly progress rebuild).",
          file=sys.stderr)
    return seconds


def chosen(pages, words):
    """The floor (always first) and the pages `--pages` names."""
    if not words:
        return pages
    wanted = [word.strip() for word in words.split(",") if word.strip()]
    return pages[:1] + [page for page in pages[1:] if any(word in page.name for word in wanted)]


def sign_in_everyone(server, pages):
    cookies = {}
    for page in pages:
        for user_id, *_ in page.requests:
            if user_id is not None and user_id not in cookies:
                cookies[user_id] = server.sign_in(User.get_by_id(user_id).email, PASSWORD)
    return cookies


def load_spec(server, page, cookies, args):
    requests = []
    etags = {}
    for user_id, method, path, form, headers in page.requests:
        headers = dict(headers)
        if api_requests.is_api(path):   # its token is in `headers`: a JSON body, no cookie, no CSRF token
            requests.append({"method": method, "path": path, "headers": headers, "body": api_requests.body_of(form)})
            continue
        if user_id is not None and not path.startswith("/calendar/feed/"):
            headers["Cookie"] = cookies[user_id]
        if headers.get("If-None-Match") == "ETAG":
            if path not in etags:
                try:
                    etags[path] = server.request("GET", path)[3].getheader("ETag")
                except OSError as error:   # counted: every conditional request then answers 200, an error
                    print(f"    no ETag for {path}: {error}", file=sys.stderr)
                    etags[path] = '"none"'
            headers["If-None-Match"] = etags[path]
        body = None
        if method == "POST":
            token, cookies[user_id] = server.form_token(path.rsplit("/", 1)[0], cookies[user_id])
            headers["Cookie"] = cookies[user_id]
            body = "&".join(f"{k}={v}" for k, v in {**form, "csrf_token": token}.items())
        requests.append({"method": method, "path": path, "headers": headers, "body": body})
    return {"host": "127.0.0.1", "port": server.port, "concurrency": args.concurrency,
            "duration": args.duration, "warmup": page.warmup, "expected": list(page.expected), "requests": requests}


def drive(spec):
    """Run the load client in its own process and return its result."""
    done = subprocess.run([sys.executable, "-m", "bench.load"], input=json.dumps(spec), capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def run_scale(scale, args):
    url, generation_seconds, org = prepare(scale, args)
    if args.generate_only:
        return {"scale": scale, "generation_s": round(generation_seconds, 1), "rows": org.counts}
    generation_seconds = None if org is None else round(generation_seconds, 1)
    engine = database.engine_name(url)
    app = bench_app(url)
    warm_seconds = 0.0 if args.skip_rebuild else warm_progress(app)
    pages = chosen(scenario.pages(args.concurrency), args.pages)
    queries = {page.name: queries_per_request(app, page) for page in pages}
    baseline = feed_baseline(app)
    database.database.db.close()
    server = Server(url).start()
    try:
        cookies = sign_in_everyone(server, pages)
        measured = {}
        for page in pages:
            print(f"  load: {page.name}", file=sys.stderr)
            measured[page.name] = drive(load_spec(server, page, cookies, args))
            result = measured[page.name]
            print(f"    p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, {result['rps']} rps, "
                  f"{result['errors']} errors", file=sys.stderr)
        measured["floor"] = _mean_floor(measured["floor"], drive(load_spec(server, pages[0], cookies, args)))
        peaks = server.worker_peak_rss_mb()
    finally:
        server.stop()
    timed_steps = steps.run_steps(app)
    database.database.db.connect(reuse_if_open=True)
    overbooked = scenario.overbooked_sessions()
    database.database.db.close()
    rows = report.rows(pages, measured, queries, engine, scale)
    return {"scale": scale, "database": engine, "generation_s": generation_seconds,
            "progress_warm_s": round(warm_seconds, 1), "rows_generated": None if org is None else org.counts,
            "pages": rows, "steps": report.step_rows(timed_steps, engine, scale), "worker_peak_rss_mb": peaks,
            "feed_baseline": baseline, "overbooked_sessions": overbooked}


def _mean_floor(first, second):
    both = dict(first)
    for key in ("rps", "p50_ms", "p99_ms"):
        both[key] = round((first[key] + second[key]) / 2, 2)
    for key in ("requests", "ok", "errors"):
        both[key] = first[key] + second[key]
    both["statuses"] = {status: first["statuses"].get(status, 0) + second["statuses"].get(status, 0)
                        for status in {**first["statuses"], **second["statuses"]}}
    return both


def main(argv=None):
    args = arguments(argv)
    started = time.perf_counter()
    scales = [float(s) for s in args.compare_scales.split(",")] if args.compare_scales else [args.scale]
    runs = [run_scale(scale, args) for scale in scales]
    if args.generate_only:
        print(json.dumps(runs, indent=2))
        return
    for run in runs:
        report.print_run(run)
    if len(runs) == 2:
        report.print_growth(runs[0], runs[1])
    results = [row for run in runs for row in run["pages"] + run.get("steps", [])]
    with open(args.output, "w") as out:
        json.dump(results, out, indent=2)
    with open(os.path.splitext(args.output)[0] + "-details.json", "w") as out:
        json.dump(runs, out, indent=2, default=str)
    print(f"\nWrote {os.path.relpath(args.output)}; whole run {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
