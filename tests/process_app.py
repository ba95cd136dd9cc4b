"""The WSGI app the multi-process tests serve with gunicorn: the real app on the
database in $DATABASE_URL, with CSRF off so the load can be plain HTTP."""
import os

from learning import create_app

app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"], "WTF_CSRF_ENABLED": False,
                  "SECRET_KEY": "process-tests"})
