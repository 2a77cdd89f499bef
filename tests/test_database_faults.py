"""The database goes away and comes back: a real gunicorn serving from a throwaway
PostgreSQL server that the test stops and starts (never the shared server in
DATABASE_URL). While it is down, pages answer 503 in the site's design, the API 503
JSON, /readyz 503 and /healthz 200, and a staff member's save is refused and says so,
changing nothing; once it is back, the same gunicorn serves normally again."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
import requests

from tests.html_forms import form_fields, with_value

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parent.parent
FINDING_24 = "/inspections/harrow-2020-02/findings/24/"
PASSWORD = "a-long-fault-test-pass-phrase"  # only ever on a throwaway server
REQUEST_TIMEOUT = 20  # seconds: each request, so a hang fails the test instead of stalling it


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"Gave up after {timeout} s waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL server of our own (pgserver), stopped and started with its pg_ctl."""

    def __init__(self, data_dir):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, when XDG_RUNTIME_DIR is unset
            import pgserver
            from pgserver._commands import pg_ctl

        self._pg_ctl = pg_ctl
        self.server = pgserver.get_server(data_dir, cleanup_mode="delete")
        self.socket_dir = str(self.server.get_postmaster_info().socket_dir)
        self.server.psql("CREATE DATABASE harrow;")

    def url(self):
        return f"postgres://postgres@{quote(self.socket_dir, safe='')}/harrow"

    def connect(self):
        return psycopg2.connect(dbname="harrow", user="postgres", host=self.socket_dir)

    def stop(self):
        self._pg_ctl(
            ["-w", "-t", "30", "-m", "fast", "stop"],
            pgdata=self.server.pgdata, user=self.server.system_user, timeout=60,
        )  # fmt: skip

    def start(self):
        self._pg_ctl(
            ["-w", "-t", "30", "-o", '-h ""', "-o", f"-k {self.socket_dir}",
             "-l", str(self.server.log), "start"],
            pgdata=self.server.pgdata, user=self.server.system_user, timeout=60,
        )  # fmt: skip

    def cleanup(self):
        self.server.cleanup()


@pytest.fixture
def throwaway_postgres():
    # Not under tmp_path: as root, pgserver runs PostgreSQL as its own user, who must be
    # able to traverse the folders above the data, and any other pytest session of the
    # same user sets /tmp/pytest-of-<user> back to 0700 when it starts.
    folder = Path(tempfile.mkdtemp(prefix="harrow-throwaway-postgres-"))
    try:
        folder.chmod(0o755)
        database = ThrowawayPostgres(folder / "pgdata")
        try:
            yield database
        finally:
            database.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def site(throwaway_postgres, tmp_path):
    """gunicorn serving the Harrow report from the throwaway server, with an editor."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HARROW_ENV", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    }
    environment.update(
        DATABASE_URL=throwaway_postgres.url(),
        DATABASE_CONNECT_TIMEOUT="2",
        STATIC_ROOT=str(tmp_path / "static"),
        HARROW_STAFF_PASSWORD=PASSWORD,
        REPORTS_DIR=str(tmp_path / "no-reports"),  # the Harrow fixture alone, not the nation
    )

    def manage(*arguments):
        subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment,
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip

    manage("setup_site")
    manage("create_staff_user", "--role", "editor", "--username", "asha",
           "--email", "asha@example.org")  # fmt: skip
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "harrow_inspection.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=REQUEST_TIMEOUT).ok,
            timeout=60, what="gunicorn to start",
        )  # fmt: skip
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


def finding_24_id(database):
    with database.connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.id FROM judgements_finding f JOIN reports_inspection i "
            "ON i.id = f.inspection_id WHERE i.slug = 'harrow-2020-02' AND f.number = 24"
        )
        (pk,) = cursor.fetchone()
    connection.close()
    return pk


def finding_24_text(database):
    with database.connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.text, f.version FROM judgements_finding f "
            "JOIN reports_inspection i ON i.id = f.inspection_id "
            "WHERE i.slug = 'harrow-2020-02' AND f.number = 24"
        )
        row = cursor.fetchone()
    connection.close()
    return row


def logged_in_editor(base):
    session = requests.Session()
    page = session.get(base + "/admin/login/", timeout=REQUEST_TIMEOUT)
    fields = dict(form_fields(page.text, "login-form"))
    fields.update(username="asha", password=PASSWORD)
    response = session.post(base + "/admin/login/?next=/admin/", data=fields,
                            timeout=REQUEST_TIMEOUT)  # fmt: skip
    assert response.url.endswith("/admin/"), "the editor could not log in"
    return session


def test_the_site_answers_503_while_the_database_is_down_and_recovers_without_restart(
    site, throwaway_postgres
):
    base, gunicorn = site
    get = lambda path: requests.get(base + path, timeout=REQUEST_TIMEOUT)  # noqa: E731
    assert get("/").status_code == 200
    assert get("/api/findings/").status_code == 200
    assert get("/readyz").json()["status"] == "ok"

    editor = logged_in_editor(base)
    text_before, version_before = finding_24_text(throwaway_postgres)
    admin_url = base + "/admin/judgements/finding/"
    change_url = f"{admin_url}{finding_24_id(throwaway_postgres)}/change/"
    form = editor.get(change_url, timeout=REQUEST_TIMEOUT)
    fields = form_fields(form.text, "finding_form")
    assert dict(fields)["text"] == text_before
    edited = with_value(fields, "text", text_before + " Edited during the outage.")

    throwaway_postgres.stop()

    page = get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page.text
    assert "Traceback" not in page.text
    assert get(FINDING_24).status_code == 503
    api = get("/api/findings/")
    assert api.status_code == 503
    assert api.headers["Content-Type"] == "application/json"
    assert "unavailable" in api.json()["detail"]
    assert get("/readyz").status_code == 503
    assert get("/readyz").json()["database"] == "unreachable"
    assert get("/healthz").status_code == 200

    refused = editor.post(change_url, data=edited, timeout=REQUEST_TIMEOUT)
    assert refused.status_code == 503
    assert "Your change was NOT saved." in refused.text

    throwaway_postgres.start()
    wait_for(lambda: get("/readyz").status_code == 200, timeout=60, what="readyz after restart")

    assert gunicorn.poll() is None  # the same server process throughout
    assert get("/").status_code == 200
    assert "health histories" in get(FINDING_24).text
    assert get("/api/findings/").status_code == 200
    assert finding_24_text(throwaway_postgres) == (text_before, version_before)

    # And the editor's session survived: saving the same form now goes through.
    saved = editor.post(change_url, data=edited, timeout=REQUEST_TIMEOUT)
    assert saved.status_code == 200 and saved.url.rstrip("/").endswith("/finding")
    assert finding_24_text(throwaway_postgres)[0].endswith("Edited during the outage.")
