"""The embedded default database: a PostgreSQL server the app starts by itself.

Used only when DATABASE_URL is not set (and never in production, where settings
refuse to start without DATABASE_URL). Everything that knows about `pgserver` is in
this module, so it can be swapped for another way of starting PostgreSQL.

`pgserver` ships PostgreSQL's binaries inside its wheel and runs the server on a
Unix socket in the data directory (no TCP port is opened). The server is shared by
every process that asks for it and stops when the last of them exits.

Side effects when run as root (PostgreSQL refuses to run as root): pgserver creates a
system user `pgserver` (useradd), makes the data directory that user's, and adds
read/execute permission for everyone to every parent directory of the data directory
and of its own binaries. See README.md, "The embedded database".
"""

import contextlib
import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "harrow"
SUPERUSER = "postgres"


def start(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return Django DATABASES settings for it."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI and containers)
        # and falls back to /tmp/runtime-<uid>, which is fine for pgserver's lock file.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _create_database(socket_dir)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": SUPERUSER,
        "HOST": socket_dir,
    }


def _create_database(socket_dir: str) -> None:
    import psycopg2
    from psycopg2 import errors, sql

    connection = psycopg2.connect(dbname="postgres", user=SUPERUSER, host=socket_dir)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                logger.info("Creating database %s in the embedded server", DATABASE_NAME)
                # Another process (a second gunicorn worker) may have created it first.
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(
                        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME))
                    )
    finally:
        connection.close()
