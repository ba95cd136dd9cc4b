"""gunicorn settings for the benchmark: the command line gives workers and the
address; no access log (the app's own request log still runs, as in production)."""
accesslog = None
errorlog = "-"
loglevel = "warning"
timeout = 60
