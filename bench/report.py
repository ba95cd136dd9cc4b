"""The results: one row per page (results.json) and the printed tables."""
import json
import sys


TARGET_RATIO = {"personal feed 304": 0.60, "rsvp (write)": 0.20}
DEFAULT_RATIO = 0.25
P99_TARGET_MS = 100


def rows(pages, measured, queries, engine, scale):
    floor_rps = measured["floor"]["rps"] or 1
    result = []
    for page in pages:
        load = measured[page.name]
        count, status = queries.get(page.name, (None, None))
        result.append({
            "name": page.name, "rps": load["rps"], "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"],
            "ratio_to_floor": round(load["rps"] / floor_rps, 3), "queries": count if page.name != "floor" else 0,
            "database": engine, "scale": scale, "requests": load["requests"], "errors": load["errors"],
            "statuses": load["statuses"], "status_in_process": status,
            "target_ratio": 0 if page.name == "floor" else TARGET_RATIO.get(page.name, DEFAULT_RATIO),
        })
    return result


def _verdict(row):
    if row["name"] == "floor":
        return ""
    misses = []
    if row["ratio_to_floor"] < row["target_ratio"]:
        misses.append("ratio")
    if row["p99_ms"] is None or row["p99_ms"] >= P99_TARGET_MS:
        misses.append("p99")
    if row["errors"]:
        misses.append("errors")
    return "ok" if not misses else "MISS " + ",".join(misses)


def table(run):
    header = f"{'page':<38} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'target':>6} {'queries':>7} " \
             f"{'errors':>6}  verdict"
    lines = [header, "-" * len(header)]
    for row in run["pages"]:
        fmt = lambda value: "-" if value is None else f"{value:.1f}"  # noqa: E731
        lines.append(f"{row['name']:<38} {row['rps']:>8.1f} {fmt(row['p50_ms']):>8} {fmt(row['p99_ms']):>8} "
                     f"{row['ratio_to_floor']:>6.2f} {row['target_ratio']:>6.2f} {row['queries']:>7} "
                     f"{row['errors']:>6}  {_verdict(row)}")
    return "\n".join(lines)


def print_run(run):
    print(f"\n## scale {run['scale']} on {run['database']}: generated in {run['generation_s']} s, "
          f"{sum(run['rows_generated'].values()):,} rows\n")
    print(table(run))
    print(f"\nWorker peak memory (VmHWM): {', '.join(f'{p} MB' for p in run['worker_peak_rss_mb'])}")
    feed = run["feed_baseline"]
    if feed:
        print(f"Personal feed, {feed['events']} events ({feed['bytes']:,} bytes): whole feed with its queries "
              f"{feed['whole_feed_ms']} ms; serialising the same rows: ours {feed['ours_ms']} ms per feed, "
              f"straightforward (Event.add + to_ical each) {feed['straightforward_ms']} ms "
              f"({feed['straightforward_ms_per_event']} ms per event): {feed['speedup']}x; "
              f"same events when parsed: {'yes' if feed['same_events'] else 'NO'}")
    print("RSVP under load: " + ("no session holds more going places than seats" if not run["overbooked_sessions"]
                                 else f"OVERBOOKED {run['overbooked_sessions']}"))


def print_growth(small, large):
    print(f"\n## p50 from scale {small['scale']} to {large['scale']} (target: grows < 30%)\n")
    before = {row["name"]: row for row in small["pages"]}
    print(f"{'page':<38} {'p50 small':>10} {'p50 large':>10} {'growth':>8} {'queries':>9}")
    for row in large["pages"]:
        old = before.get(row["name"])
        if not old or not old["p50_ms"] or not row["p50_ms"]:
            continue
        growth = (row["p50_ms"] - old["p50_ms"]) / old["p50_ms"]
        print(f"{row['name']:<38} {old['p50_ms']:>10.1f} {row['p50_ms']:>10.1f} {growth:>+7.0%} "
              f"{old['queries']:>4}->{row['queries']:<4}{'' if growth < 0.30 else '  MISS'}")


def markdown(run):
    """One run as a Markdown table (for docs/bench.md)."""
    lines = [f"**Scale {run['scale']} on {run['database']}** (generated in {run['generation_s']} s, "
             f"{sum(run['rows_generated'].values()):,} rows; worker peak memory "
             f"{', '.join(f'{p} MB' for p in run['worker_peak_rss_mb'])})", "",
             "| page | rps | p50 ms | p99 ms | ratio to floor | target | queries | errors | verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in run["pages"]:
        fmt = lambda value: "-" if value is None else f"{value:.1f}"  # noqa: E731
        lines.append(f"| {row['name']} | {row['rps']:.1f} | {fmt(row['p50_ms'])} | {fmt(row['p99_ms'])} | "
                     f"{row['ratio_to_floor']:.2f} | {row['target_ratio']:.2f} | {row['queries']} | {row['errors']} | "
                     f"{_verdict(row)} |")
    feed = run["feed_baseline"]
    if feed:
        lines += ["", f"Feed baseline ({feed['events']} events, {feed['bytes']:,} bytes): whole feed with its queries "
                      f"{feed.get('whole_feed_ms', '-')} ms; serialising the same rows: ours {feed['ours_ms']} ms per "
                      f"feed, straightforward {feed['straightforward_ms']} ms ({feed['straightforward_ms_per_event']} "
                      f"ms per event): {feed['speedup']}x; same events parsed back: "
                      f"{'yes' if feed['same_events'] else 'no'}. Overbooked sessions after the RSVP load: "
                      f"{len(run['overbooked_sessions'])}."]
    return "\n".join(lines)


def markdown_growth(small, large):
    before = {row["name"]: row for row in small["pages"]}
    lines = [f"**p50 from scale {small['scale']} to {large['scale']} on {large['database']}** (target: < +30%)", "",
             "| page | p50 ms small | p50 ms large | growth | queries small → large |", "|---|---:|---:|---:|---|"]
    for row in large["pages"]:
        old = before.get(row["name"])
        if old and old["p50_ms"] and row["p50_ms"]:
            growth = (row["p50_ms"] - old["p50_ms"]) / old["p50_ms"]
            lines.append(f"| {row['name']} | {old['p50_ms']:.1f} | {row['p50_ms']:.1f} | {growth:+.0%} | "
                         f"{old['queries']} → {row['queries']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path) as details:
            runs = json.load(details)
        for run in runs:
            print(markdown(run) + "\n")
        if len(runs) == 2:
            print(markdown_growth(runs[0], runs[1]) + "\n")
