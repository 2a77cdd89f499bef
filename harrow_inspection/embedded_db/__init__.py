"""The embedded default database: a PostgreSQL server the app starts by itself.

Used only when DATABASE_URL is not set (and never in production, where settings
refuse to start without DATABASE_URL). Everything that knows about `pgserver` is in
this package, so it can be swapped for another way of starting PostgreSQL.

It is also a Django database backend (ENGINE "harrow_inspection.embedded_db", in
`base.py`): PostgreSQL's own, which starts the server when it first connects. Reading
the settings starts nothing; a command or a worker that never touches the database
never starts a server.

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
# An advisory lock's number, held while the database is looked for and made.
CREATE_LOCK = 48_151_623


def settings(data_dir: Path) -> dict:
    """Django DATABASES settings for the embedded server in `data_dir` (not started)."""
    return {
        "ENGINE": "harrow_inspection.embedded_db",
        "NAME": DATABASE_NAME,
        "USER": SUPERUSER,
        "HOST": "",  # the server's socket folder, filled in when it has started
        "DATA_DIR": str(data_dir),
    }


def start(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return its connection settings."""
    # Made here, whoever comes first: pgserver makes a missing data folder with
    # exist_ok=False after checking that it is missing, so of two processes starting at
    # once (the test command's two workers, on a fresh clone) one could fail with
    # FileExistsError. Setting the folder up (initdb) is under pgserver's own lock.
    data_dir.mkdir(parents=True, exist_ok=True)
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
            # One process at a time (two gunicorn workers, the test command's two workers):
            # of two that both found it missing, the second CREATE DATABASE fails with a
            # unique violation, not DuplicateDatabase. The lock goes with the connection.
            cursor.execute("SELECT pg_advisory_lock(%s)", [CREATE_LOCK])
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                logger.info("Creating database %s in the embedded server", DATABASE_NAME)
                with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
                    cursor.execute(
                        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME))
                    )
    finally:
        connection.close()
