"""Production serving: `gunicorn -c gunicorn.conf.py "learning:create_app()"`.
Sync workers, each lending its database connection from a small pool (see
learning/db.py: set up once per worker; the PostgreSQL pool pings a connection
before lending it, so a restarted PostgreSQL is reconnected on the next
request). Workers keep nothing another worker needs: scale by adding workers
or servers on one PostgreSQL.
"""
import multiprocessing
import os

from learning.worker_memory import settle

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 5000            # recycle workers now and then: bounded memory over months
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# The request id ties a gunicorn access line to the app's own JSON line.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Once the app is loaded, its objects leave the collector's full passes (learning/worker_memory.py).
post_worker_init = settle
