"""gunicorn in a subprocess (2 sync workers on a free local port), signing in
over HTTP, and the workers' peak memory."""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

from bench import tokens
from bench.database import DATA_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, database_url, workers=2, log_path=None):
        self.port = free_port()
        self.database_url, self.workers = database_url, workers
        self.log_path = log_path or os.path.join(DATA_DIR, "gunicorn.log")
        self.process = None

    def start(self):
        env = dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY=tokens.SECRET_KEY,
                   LEARNING_ENV="development", LEARNING_DEMO="0", BASE_URL=f"http://127.0.0.1:{self.port}/",
                   # the load client sends far more than an integration may: measure the work, not the limit
                   API_RATE_LIMIT="1000000 per minute")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        log = open(self.log_path, "w")
        # -c names the bench's own (empty) settings: gunicorn would otherwise read the
        # production gunicorn.conf.py from the working directory (access log on, more workers).
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", os.path.join(ROOT, "bench", "gunicorn_bench.py"),
             "-w", str(self.workers), "-k", "sync", "-b", f"127.0.0.1:{self.port}", "bench.app:create_bench_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def request(self, method, path, body=None, cookie=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        new_cookie = _session_cookie(response) or cookie
        connection.close()
        return response.status, content, new_cookie, response

    def sign_in(self, email, password):
        """The session cookie of a signed-in person (the login form's CSRF token read from the page)."""
        _, page, cookie, _ = self.request("GET", "/login")
        status, _, cookie, _ = self.request("POST", "/login", {"email": email, "password": password,
                                                               "csrf_token": csrf_token(page)}, cookie)
        if status != 302:
            raise RuntimeError(f"signing in as {email} answered {status}")
        return cookie

    def form_token(self, path, cookie):
        """The CSRF token of the form on a page, and the cookie that goes with it."""
        _, page, cookie, _ = self.request("GET", path, cookie=cookie)
        return csrf_token(page), cookie

    def worker_peak_rss_mb(self):
        """VmHWM of each worker (the master's children), in MB."""
        peaks = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
            except OSError:
                continue
            if int(fields.get("PPid", "0").strip()) == self.process.pid and "VmHWM" in fields:
                peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
        return [round(peak, 1) for peak in sorted(peaks)]


def _session_cookie(response):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return None


def csrf_token(page):
    found = CSRF_INPUT.search(page)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)
