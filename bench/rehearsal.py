"""A two-machine rehearsal on one machine (issue 19): two app instances (gunicorn, as the
run command serves the site, on two ports) behind Debian's nginx as the load balancer,
one PostgreSQL, one Redis shared by both (CACHE_URL). wrk loads the site through the
balancer while a finding is edited again and again, and checkers read that finding's page,
the list it is on and its API entry through the balancer: a response staler than the last
acknowledged edit (one that had committed before the request was sent) is counted.

    .venv/bin/python bench/rehearsal.py --database-url postgres://…/perf \\
        --cache-url redis://127.0.0.1:6390/2 --seconds 30

The edits are SQL UPDATEs of the finding's text, committed one by one (the database's
triggers move the data version whatever makes the write, the admin included); the text is
put back at the end. Prints one JSON object.
"""

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg2
from site_servers import BENCH, WORK, collect_static, site_environment, start, stop

BALANCER = 8770
INSTANCES = (8771, 8772)
FINDING = "/inspections/harrow-2020-02/findings/24/"
WATCHED = [
    FINDING,
    "/findings/?inspection=harrow-2020-02&page=2",
    "/api/findings/?inspection=harrow-2020-02&page=2",
]
MARK = re.compile(r"rehearsal edit (\d+)")
MIX = ["/", "/findings/", "/findings/?service_area=care-leavers", "/findings/?q=children",
       "/local-authorities/", "/service-areas/", FINDING, "/api/findings/",
       "/inspections/harrow-2020-02/"]  # fmt: skip

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream harrow {{
        server 127.0.0.1:{one};
        server 127.0.0.1:{two};
        keepalive 32;
        # Under gunicorn's own 2 s keep-alive, so that nginx never reuses a connection
        # gunicorn is closing (a reset, and both servers marked down: 502s).
        keepalive_timeout 1s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://harrow;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def start_nginx(tmp):
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
    tmp.chmod(0o777)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, one=INSTANCES[0], two=INSTANCES[1], port=BALANCER))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)])
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{BALANCER}/healthz", timeout=5)
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("nginx did not start: " + (tmp / "error.log").read_text())


class Editor(threading.Thread):
    """Edits the finding every `interval` s; `acknowledged` is the last committed edit."""

    def __init__(self, database_url, interval, stop_event):
        super().__init__()
        self.connection = psycopg2.connect(database_url)
        self.interval, self.stop_event = interval, stop_event
        self.acknowledged, self.edits = 0, 0
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.id, f.text FROM judgements_finding f JOIN reports_inspection i "
                "ON i.id = f.inspection_id WHERE i.slug = 'harrow-2020-02' AND f.number = 24"
            )
            self.pk, self.original = cursor.fetchone()
        self.connection.commit()

    def write(self, text):
        with self.connection.cursor() as cursor:
            cursor.execute("UPDATE judgements_finding SET text = %s WHERE id = %s", (text, self.pk))
        self.connection.commit()

    def run(self):
        while not self.stop_event.is_set():
            number = self.edits + 1
            self.write(f"{self.original} (rehearsal edit {number})")
            self.edits = self.acknowledged = number  # committed: acknowledged
            time.sleep(self.interval)

    def restore(self):
        self.write(self.original)
        self.connection.close()


def checker(editor, stop_event, results):
    i = 0
    while not stop_event.is_set():
        path = WATCHED[i % len(WATCHED)]
        i += 1
        acknowledged = editor.acknowledged  # before the request is sent
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{BALANCER}{path}")
            if path.startswith("/api/"):
                request.add_header("Accept", "application/json")
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read().decode()
                via = response.headers.get("X-Page-Cache", "")
        except OSError as error:
            results["errors"].append(f"{path}: {error}")
            continue
        seen = max((int(n) for n in MARK.findall(body)), default=0)
        results["checked"] += 1
        results["hits"] += via == "hit"
        if seen < acknowledged:
            results["stale"].append({"path": path, "acknowledged": acknowledged, "seen": seen})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cache-url", required=True, help="the one Redis both instances share")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--edit-interval", type=float, default=0.5)
    args = parser.parse_args()
    if not shutil.which("nginx") or not shutil.which("wrk"):
        raise SystemExit("needs Debian's nginx and wrk: apt-get install nginx wrk")
    environment = site_environment(
        args.database_url, CACHE_URL=args.cache_url, PAGE_CACHE_SECONDS="600",
        CACHE_KEY_PREFIX=f"rehearsal-{uuid.uuid4().hex[:8]}", TRUSTED_PROXY_COUNT="1",
    )  # fmt: skip
    collect_static(environment)
    tmp = Path(tempfile.mkdtemp(prefix="harrow-rehearsal-"))
    logs = [(WORK / f"rehearsal-{port}.log").open("w") for port in INSTANCES]
    servers = [start(port, environment, workers=2, log=log)
               for port, log in zip(INSTANCES, logs, strict=True)]  # fmt: skip
    balancer = start_nginx(tmp)
    stop_event = threading.Event()
    editor = Editor(args.database_url, args.edit_interval, stop_event)
    results = {"checked": 0, "hits": 0, "stale": [], "errors": []}
    try:
        for path in MIX:
            urllib.request.urlopen(f"http://127.0.0.1:{BALANCER}{path}", timeout=60).read()
        paths = WORK / "rehearsal-paths.txt"
        paths.write_text("\n".join(MIX) + "\n")
        checkers = [threading.Thread(target=checker, args=(editor, stop_event, results))
                    for _ in range(2)]  # fmt: skip
        editor.start()
        for thread in checkers:
            thread.start()
        load = subprocess.run(
            ["wrk", "--threads", "2", "--connections", str(args.connections), "--duration",
             f"{args.seconds}s", "--timeout", "10s", "--script", BENCH / "mix.lua",
             f"http://127.0.0.1:{BALANCER}"],
            env={"MIX_PATHS": str(paths)}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        stop_event.set()
        for thread in [editor, *checkers]:
            thread.join(timeout=60)
        summary = json.loads(load.stdout.strip().splitlines()[-1])
    finally:
        stop_event.set()
        editor.restore()
        balancer.terminate()
        balancer.wait(timeout=30)
        for server in servers:
            stop(server)
        for log in logs:
            log.close()
        errors = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
        (WORK / "rehearsal-nginx-error.log").write_text(errors)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({
        "through_balancer": summary,
        "connections": args.connections,
        "edits_acknowledged": editor.acknowledged,
        "freshness_checks": results["checked"],
        "freshness_checks_from_the_shared_page_cache": results["hits"],
        "stale_responses": len(results["stale"]),
        "stale_examples": results["stale"][:5],
        "checker_errors": len(results["errors"]),
        "checker_error_examples": results["errors"][:5],
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
