"""A small HTTP load generator (asyncio, standard library only), run in its own
process: `python -m bench.load < spec.json` prints one JSON result.

The spec names the server, how many connections run at once, for how long,
and the prepared requests. Each connection sends its own share of the
requests in order (request i goes to connection i % concurrency), one request
per TCP connection as gunicorn's sync workers answer ("Connection: close").
"""
import asyncio
import json
import sys
import time


def percentile(sorted_values, share):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def raw_request(item, host, port):
    headers = {"Host": f"{host}:{port}", "Connection": "close", "User-Agent": "bench-load/1",
               **item.get("headers", {})}
    body = (item.get("body") or "").encode()
    if body:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        headers["Content-Length"] = str(len(body))
    head = f"{item.get('method', 'GET')} {item['path']} HTTP/1.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode() + b"\r\n" + body


async def one(host, port, payload, timeout):
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(payload)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)   # the server closes after the body
    finally:
        writer.close()
    status = int(status_line.split(b" ", 2)[1]) if status_line else 0
    return status, time.perf_counter() - started


async def connection_loop(spec, payloads, expected, stop_at, measure_from, results):
    timeout = spec.get("timeout", 30)
    position = 0
    while time.perf_counter() < stop_at:
        payload = payloads[position % len(payloads)]
        position += 1
        try:
            status, elapsed = await one(spec["host"], spec["port"], payload, timeout)
        except (OSError, asyncio.TimeoutError, IndexError, ValueError):
            status, elapsed = 0, 0.0
        if time.perf_counter() >= measure_from:   # finished inside the measured window
            results.append((status, elapsed))
        if status not in expected and not spec.get("keep_going_on_error", True):
            return


async def run(spec):
    concurrency = spec.get("concurrency", 4)
    prepared = [raw_request(item, spec["host"], spec["port"]) for item in spec["requests"]]
    shares = [prepared[i::concurrency] or prepared for i in range(concurrency)]
    expected = set(spec.get("expected", [200]))
    start = time.perf_counter()
    measure_from = start + spec.get("warmup", 0.5)
    stop_at = measure_from + spec.get("duration", 3)
    results = []
    await asyncio.gather(*(connection_loop(spec, share, expected, stop_at, measure_from, results)
                           for share in shares))
    window = max(1e-9, time.perf_counter() - measure_from)
    return summarise(results, expected, window)


def summarise(results, expected, window):
    latencies = sorted(elapsed * 1000 for status, elapsed in results if status in expected)
    statuses = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "requests": len(results),
        "ok": len(latencies),
        "errors": len(results) - len(latencies),
        "statuses": statuses,
        "rps": round(len(latencies) / window, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
    }


def main():
    spec = json.load(sys.stdin)
    print(json.dumps(asyncio.run(run(spec))))


if __name__ == "__main__":
    main()
