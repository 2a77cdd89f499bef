"""Soak test: gunicorn (2 workers) under 50 concurrent clients for a while, with staff
editing findings through the admin as the public reads, then a check that no
acknowledged edit was lost.

    .venv/bin/python bench/soak.py --seconds 60

It (re)creates its own database (default `harrow_soak` on the server of
postgres://harrow:harrow@127.0.0.1:5432/, whose role needs CREATEDB), prepares it with
`setup_site`, makes one editor account per staff client and serves the site with
gunicorn on 127.0.0.1. Four in five clients read public pages, the CSV and the API; the
others log in and save findings through the admin's own change form, with the version
the form was opened at, so that a save based on an out-of-date form is refused. A
refused save is not a lost edit; a save the server acknowledged (302) whose text is
not in the finding's history afterwards, or whose finding does not end with the last
acknowledged text, is. It never stops or reconfigures the database server.

Standard library plus requests and psycopg2 (pinned in pyproject.toml). Exits non-zero
if any request failed (5xx or no answer) or any edit was lost.
"""

import argparse
import collections
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import requests
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.html_forms import form_fields, with_value  # noqa: E402

PASSWORD = "soak-test-editor-pass-phrase"  # noqa: S105 - throwaway accounts in a throwaway database
REQUEST_TIMEOUT = 30
PUBLIC_PATHS = [
    "/",
    "/inspections/harrow-2020-02/",
    "/inspections/harrow-2020-02/judgements/help-and-protection/",
    "/findings/",
    "/findings/?service_area=care-leavers",
    "/findings/?q=%22care+leavers%22+-housing",
    "/findings/?judgement_grade=good&page=2",
    "/findings.csv?service_area=fostering",
    "/service-areas/",
    "/service-areas/care-leavers/",
    "/glossary/",
    "/api/findings/?service_area=care-leavers&q=pathway",
    "/api/inspections/harrow-2020-02/",
    "/healthz",
    "/readyz",
]
MARKER = re.compile(r" \[soak [^\]]*\]$")


def database_url_for(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(url, name):
    parts = urlsplit(url)
    connection = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password,
        host=parts.hostname, port=parts.port or 5432,
    )  # fmt: skip
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.latencies = []
        self.failures = collections.Counter()
        self.acknowledged = []  # (finding id, text, version saved)
        self.refused = 0

    def record(self, status, seconds, what):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if status == "no answer" or (isinstance(status, int) and status >= 500):
                self.failures[f"{status} {what}"] += 1


def timed(results, session, method, url, what, **kwargs):
    started = time.monotonic()
    try:
        response = session.request(method, url, timeout=REQUEST_TIMEOUT, **kwargs)
    except requests.RequestException:
        results.record("no answer", time.monotonic() - started, what)
        return None
    results.record(response.status_code, time.monotonic() - started, what)
    return response


def public_client(base, deadline, results, seed):
    rng = random.Random(seed)
    session = requests.Session()
    while time.monotonic() < deadline:
        path = rng.choice(PUBLIC_PATHS)
        timed(results, session, "GET", base + path, path.split("?")[0])


def staff_client(base, deadline, results, number, finding_ids):
    rng = random.Random(number)
    session = requests.Session()
    login = timed(results, session, "GET", base + "/admin/login/", "login form")
    fields = dict(form_fields(login.text, "login-form"))
    fields.update(username=f"soak-editor-{number}", password=PASSWORD)
    response = timed(results, session, "POST", base + "/admin/login/?next=/admin/", "login",
                     data=fields, allow_redirects=False)  # fmt: skip
    if response is None or response.status_code != 302:
        raise RuntimeError(f"soak-editor-{number} could not log in")
    edits = 0
    while time.monotonic() < deadline:
        pk = rng.choice(finding_ids)
        url = f"{base}/admin/judgements/finding/{pk}/change/"
        form = timed(results, session, "GET", url, "admin form")
        if form is None or form.status_code != 200:
            continue
        fields = form_fields(form.text, "finding_form")
        values = dict(fields)
        edits += 1
        text = MARKER.sub("", values["text"]) + f" [soak {number}-{edits}]"
        loaded = int(values["loaded_version"])
        saved = timed(results, session, "POST", url, "admin save",
                      data=with_value(fields, "text", text), allow_redirects=False)  # fmt: skip
        if saved is None:
            continue
        if saved.status_code == 302:
            with results.lock:
                results.acknowledged.append((pk, text, loaded + 1))
        elif saved.status_code == 200 and "errornote" in saved.text:
            with results.lock:
                results.refused += 1


def lost_edits(database_url, acknowledged):
    """Acknowledged edits whose text is not in the finding's history, or findings whose
    text now is not the last acknowledged one."""
    connection = psycopg2.connect(database_url)
    lost = []
    with connection.cursor() as cursor:
        for pk, text, version in acknowledged:
            cursor.execute(
                "SELECT 1 FROM judgements_historicalfinding WHERE id = %s AND text = %s "
                "AND version = %s", [pk, text, version],
            )  # fmt: skip
            if cursor.fetchone() is None:
                lost.append((pk, version, "not in history"))
        last = {}
        for pk, text, version in acknowledged:
            if version > last.get(pk, (0, ""))[0]:
                last[pk] = (version, text)
        for pk, (version, text) in last.items():
            cursor.execute("SELECT text, version FROM judgements_finding WHERE id = %s", [pk])
            now_text, now_version = cursor.fetchone()
            if (now_text, now_version) != (text, version):
                lost.append((pk, version, "not the finding's text at the end"))
    connection.close()
    return lost


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--staff-share", type=float, default=0.2, help="of the clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--server-url", default="postgres://harrow:harrow@127.0.0.1:5432/",
                        help="the PostgreSQL server to create the database on")  # fmt: skip
    parser.add_argument("--database", default="harrow_soak")
    options = parser.parse_args(argv)

    database_url = database_url_for(options.server_url, options.database)
    recreate_database(options.server_url, options.database)
    staff_clients = max(1, round(options.clients * options.staff_share))
    work = Path(tempfile.mkdtemp(prefix="harrow-soak-"))
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"HARROW_ENV", "DEBUG"}},
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(work / "static"),
        "HARROW_STAFF_PASSWORD": PASSWORD,
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable

    def manage(*arguments):
        subprocess.run([python, "manage.py", *arguments], cwd=ROOT, env=environment,
                       check=True, capture_output=True)  # fmt: skip

    print(f"Preparing {options.database} and {staff_clients} editor accounts", flush=True)
    manage("setup_site")
    for number in range(staff_clients):
        manage("create_staff_user", "--role", "editor", "--username", f"soak-editor-{number}",
               "--email", f"soak-editor-{number}@example.org")  # fmt: skip
    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM judgements_finding ORDER BY id")
        finding_ids = [row[0] for row in cursor.fetchall()]
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "harrow_inspection.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(options.workers), "--timeout", "60"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not start")
        results = Results()
        print(
            f"{options.clients} clients ({staff_clients} editing) for {options.seconds} s "
            f"against gunicorn with {options.workers} workers at {base}",
            flush=True,
        )
        started = time.monotonic()
        deadline = started + options.seconds
        with ThreadPoolExecutor(max_workers=options.clients) as pool:
            futures = [
                pool.submit(staff_client, base, deadline, results, n, finding_ids)
                for n in range(staff_clients)
            ] + [
                pool.submit(public_client, base, deadline, results, n)
                for n in range(options.clients - staff_clients)
            ]
            for future in futures:
                future.result()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    lost = lost_edits(database_url, results.acknowledged)
    total = sum(results.statuses.values())
    latencies = sorted(results.latencies)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(results.statuses.items(), key=str))
    print(f"requests:        {total} in {elapsed:.0f} s ({total / elapsed:.1f}/s)")
    print(f"statuses:        {statuses}")
    print(
        f"latency:         median {statistics.median(latencies) * 1000:.0f} ms, "
        f"95th percentile {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    print(f"errors:          {sum(results.failures.values())} {dict(results.failures) or ''}")
    print(f"edits saved:     {len(results.acknowledged)} acknowledged")
    print(f"edits refused:   {results.refused} (out-of-date form: conflict shown, not lost)")
    print(f"lost edits:      {len(lost)} {lost or ''}")
    print(f"gunicorn log:    {work / 'gunicorn.log'}")
    return 1 if lost or results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
