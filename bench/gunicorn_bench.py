"""gunicorn settings for the benchmark: the command line gives workers and the
address; no access log (the app's own request log still runs, as in production)."""
from learning.worker_memory import settle

accesslog = None
errorlog = "-"
loglevel = "warning"
timeout = 60
post_worker_init = settle   # as production (gunicorn.conf.py)
