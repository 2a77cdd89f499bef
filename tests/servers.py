"""A gunicorn of the project serving the test database, for tests that need a second
process (the shared cache) or a real server (slow downloads)."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import requests
from django.db import connection

from tests.test_database_faults import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
# What a test process may have set that a production-like server must not inherit.
NOT_INHERITED = {"HARROW_ENV", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}


def served_database_url():
    """The test database as a DATABASE_URL for another process: a server's address, or
    the embedded server's socket folder (percent-encoded, as dj-database-url reads it)."""
    database = connection.settings_dict
    host = quote(database["HOST"] or "", safe="")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    return f"postgres://{credentials}@{host}{port}/{database['NAME']}"


@contextlib.contextmanager
def gunicorn(arguments, log_path, **settings):
    """gunicorn with `arguments` (after the interpreter) on a free port, over the test
    database with `settings` in its environment; yields the port once /healthz answers."""
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(DATABASE_URL=served_database_url(), **settings)
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, *arguments(port)],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok,
                     timeout=60, what="gunicorn to start")  # fmt: skip
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)
