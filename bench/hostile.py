"""Rehearse issue 18's attacks against gunicorn in production settings.

    .venv/bin/python bench/hostile.py --database-url postgres://harrow:harrow@127.0.0.1:5432/harrow_hostile

Migrates the given database (which it fills with two accounts; use a throwaway one),
collects static files into a temporary folder and serves the site with gunicorn bound
to 127.0.0.1 only, as the run command does (2 sync workers, 30 s timeout, its access log
and logger class), with HARROW_ENV=production, as if behind one TLS proxy
(X-Forwarded-Proto and X-Forwarded-For sent by this script, TRUSTED_PROXY_COUNT=1).
Then, each loop bounded in bytes and seconds:

1. three hostile PDFs, built here and deleted after: a decompression bomb (7 KB, 4 GB
   inflated), 20,000 pages, and one page of 4 million characters; each uploaded through
   the admin and imported with `import_report`, then all three with `import_reports`;
2. a 1 GB POST to the login page, two at once, while a colleague loads the login page;
   the same as chunked transfer, and 1 GB to the upload address;
3. five wrong passwords for a real user from a stranger's address, then the user from
   hers (with TRUSTED_PROXY_COUNT=0 as well, to show what the proxy setting changes).

It reports time, peak memory (RSS of the worker and its children, sampled every 20 ms,
and of the command-line import's processes), what the client received, whether any
worker was replaced, any 5xx in the access log, and anything left in the temporary
folders. Exits non-zero if anything went wrong. Standard library plus psutil.
"""

import argparse
import contextlib
import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from harrow_inspection.__main__ import ACCESS_LOG_FORMAT  # noqa: E402
from tests.hostile_files import (  # noqa: E402
    decompression_bomb_pdf,
    many_pages_pdf,
    text_flood_pdf,
)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "hostile-rehearsal-pass-phrase-9"  # noqa: S105 - throwaway accounts
GB = 1024**3
MB = 1024**2
problems = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Memory:
    """Peak RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid):
        self.root = psutil.Process(pid)
        self.peak_total = self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
                sizes = []
                for process in processes:
                    with contextlib.suppress(psutil.Error):
                        sizes.append(process.memory_info().rss)
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes, default=0))
            except psutil.Error:
                pass
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Browser:
    """A person behind the proxy: their address in X-Forwarded-For, cookies kept."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://127.0.0.1{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, content

    def csrf(self, path):
        _status, page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match[1] if match else ""

    def log_in(self, username, password):
        token = self.csrf("/admin/login/")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        return self.request(
            "POST",
            "/admin/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )[0]


def errors_in(page):
    return [
        re.sub(r"<[^>]+>", " ", item).strip()
        for item in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    ]


class Server:
    def __init__(self, environment, work, proxies):
        self.port = free_port()
        self.log = work / f"gunicorn-{proxies}.log"
        self.access = work / f"access-{proxies}.log"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "harrow_inspection.wsgi",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "30",
             "--access-logfile", str(self.access), "--access-logformat", ACCESS_LOG_FORMAT,
             "--logger-class", "harrow_inspection.access_log.JsonAccessLogger",
             "--no-control-socket"],
            cwd=ROOT, env={**environment, "TRUSTED_PROXY_COUNT": str(proxies)},
            stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(120):
            try:
                if Browser(self.port, "198.51.100.1").request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not start: see {self.log}")
        time.sleep(1)
        self.workers = self.worker_pids()

    def worker_pids(self):
        return sorted(p.pid for p in psutil.Process(self.process.pid).children())

    def stop(self):
        self.process.terminate()
        self.process.wait(30)

    def verdict(self):
        """(workers replaced?, 5xx lines, worker timeouts) so far."""
        lines = [json.loads(line) for line in self.access.read_text().splitlines() if line]
        errors = [line for line in lines if int(line["status"]) >= 500]
        log = self.log.read_text()
        timeouts = log.count("WORKER TIMEOUT") + log.count("SIGKILL")
        return self.worker_pids() != self.workers, errors, timeouts, len(lines)


def leftovers_now(temporary):
    """Uploads waiting (harrow-inspection-uploads/) and Django's temporary upload files."""
    return set(glob.glob(f"{temporary}/harrow-inspection-uploads/*")) | set(
        glob.glob(f"{temporary}/*.upload*")
    )


def check(condition, message):
    if not condition:
        problems.append(message)
        print(f"  PROBLEM: {message}", flush=True)


HOSTILE_FILES = {
    "bomb.pdf": (decompression_bomb_pdf, "one page whose content stream inflates to 4 GB"),
    "pages.pdf": (many_pages_pdf, "20,000 pages"),
    "flood.pdf": (text_flood_pdf, "one page drawing 4 million characters one by one"),
}


def upload(staff, path):
    token = staff.csrf("/admin/reports/importlog/import/")
    boundary = "hostile-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="report"; filename="{path.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return staff.request(
        "POST",
        "/admin/reports/importlog/import/",
        body,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def files_rehearsal(server, environment, work):
    print("\n## 1. Hostile PDFs", flush=True)
    folder = work / "pdfs"
    folder.mkdir(exist_ok=True)
    staff = Browser(server.port, "198.51.100.20")
    check(staff.log_in("hostile-admin", PASSWORD) == 302, "the superuser could not log in")
    for name, (build, what) in HOSTILE_FILES.items():
        path = folder / name
        size = build(path)
        print(f"{name}: {size:,} bytes, {what}")
        memory = Memory(server.process.pid)
        started = time.monotonic()
        with memory:
            status, page = upload(staff, path)
        took = time.monotonic() - started
        said = errors_in(page)
        print(
            f"  admin upload: {took:.1f} s, HTTP {status}, peak RSS of gunicorn (master, 2 "
            f"workers) and the sandbox {memory.peak_total / MB:.0f} MB (largest process "
            f"{memory.peak_single / MB:.0f} MB); the page said: {said}"
        )
        check(status == 200 and any("could not be read" in s for s in said), f"{name}: message")
        check(took < 25, f"{name}: the admin upload took 25 s or more")
        command = ["import_report", str(path)]
        took, code, output, cli_memory = run_command(command, environment)
        said = [line for line in output.splitlines() if name in line]
        print(
            f"  manage.py import_report: {took:.1f} s, exit status {code}, peak RSS of its "
            f"processes {cli_memory.peak_total / MB:.0f} MB (largest "
            f"{cli_memory.peak_single / MB:.0f} MB); it said: {said[:1]}"
        )
        check(code == 1 and took < 30, f"import_report did not refuse {name}")
    took, code, output, cli_memory = run_command(["import_reports", str(folder)], environment)
    table = [line for line in output.splitlines() if line.startswith(tuple(HOSTILE_FILES))]
    summary = [line for line in output.splitlines() if "imported or unchanged" in line]
    print(
        f"manage.py import_reports (the three files): {took:.1f} s, exit status {code}, peak "
        f"RSS {cli_memory.peak_total / MB:.0f} MB (largest {cli_memory.peak_single / MB:.0f} "
        f"MB); {summary}"
    )
    for line in table:
        print(f"  {line}")
    check(code == 1 and took < 90, "import_reports did not refuse the three files")
    for path in folder.iterdir():
        path.unlink()


def run_command(command, environment):
    started = time.monotonic()
    child = subprocess.Popen(
        [PYTHON, "manage.py", *command],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    with Memory(child.pid) as memory:
        output, _ = child.communicate(timeout=180)
    return time.monotonic() - started, child.returncode, output, memory


def raw_post(port, path, *, total, chunked=False, seconds=30, results=None, name=""):
    """Send a POST of `total` bytes (or until the server answers or `seconds` pass)."""
    started = time.monotonic()
    sent, answer = 0, ""
    sock = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    framing = "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {total}\r\n"
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            "X-Forwarded-For: 203.0.113.66\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n"
        ).encode()
    )
    block = b"a" * MB
    if chunked:
        block = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    sock.setblocking(False)
    while sent < total and time.monotonic() - started < seconds:
        try:
            data = sock.recv(65536)
            if data:
                answer += data.decode("latin-1")
                break
            break  # closed
        except BlockingIOError:
            pass
        except OSError:
            break
        try:
            sent += sock.send(block)
        except BlockingIOError:
            time.sleep(0.001)
        except OSError:
            break
    sock.setblocking(True)
    sock.settimeout(5)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            answer += data.decode("latin-1")
    except OSError:
        pass
    sock.close()
    result = {
        "seconds": time.monotonic() - started,
        "sent_mb": sent / MB,
        "status": answer.split("\r\n", 1)[0] if answer else "(no answer)",
    }
    if results is not None:
        results[name] = result
    return result


def body_rehearsal(server):
    print("\n## 2. A 1 GB body", flush=True)
    results = {}
    threads = [
        threading.Thread(
            target=raw_post,
            args=(server.port, "/admin/login/"),
            kwargs={"total": GB, "results": results, "name": f"post {n}"},
        )
        for n in (1, 2)
    ]
    memory = Memory(server.process.pid)
    with memory:
        for thread in threads:
            thread.start()
        colleague = Browser(server.port, "198.51.100.30")
        latencies = []
        while any(thread.is_alive() for thread in threads) or not latencies:
            started = time.monotonic()
            status, _ = colleague.request("GET", "/admin/login/")
            latencies.append(time.monotonic() - started)
            check(status == 200, f"the colleague's login page answered {status}")
            time.sleep(0.1)
        for thread in threads:
            thread.join()
    for name, result in sorted(results.items()):
        print(
            f"1 GB POST to /admin/login/ ({name}, two at once): answered in "
            f"{result['seconds']:.2f} s after {result['sent_mb']:.0f} MB sent: {result['status']}"
        )
        check("413" in result["status"], f"{name}: no 413")
    print(
        f"meanwhile the login page for a colleague: {len(latencies)} loads, slowest "
        f"{max(latencies):.2f} s; peak RSS of gunicorn (master, 2 workers) "
        f"{memory.peak_total / MB:.0f} MB"
    )
    check(max(latencies) < 2, "a colleague waited 2 s or more")
    chunked = raw_post(server.port, "/admin/login/", total=GB, chunked=True, seconds=20)
    print(
        f"1 GB chunked POST to /admin/login/: {chunked['seconds']:.2f} s, "
        f"{chunked['sent_mb']:.0f} MB sent: {chunked['status']}"
    )
    check(chunked["status"] != "(no answer)" and " 5" not in chunked["status"][8:10], "chunked")
    upload = raw_post(server.port, "/admin/reports/importlog/import/", total=GB)
    print(
        f"1 GB POST to the upload address (anonymous): {upload['seconds']:.2f} s, "
        f"{upload['sent_mb']:.0f} MB sent: {upload['status']}"
    )
    check("413" in upload["status"], "upload address: no 413")


def lockout_rehearsal(server, proxies):
    print(f"\n## 3. Lockout behind the proxy (TRUSTED_PROXY_COUNT={proxies})", flush=True)
    stranger = Browser(server.port, "203.0.113.9")
    statuses = []
    for n in range(5):
        stranger.address = f"192.0.2.{n}, 203.0.113.9"  # a made-up entry, then the proxy's
        statuses.append(stranger.log_in("asha", "not her password"))
    statuses.append(stranger.log_in("asha", PASSWORD))
    asha = Browser(server.port, "198.51.100.7")
    hers = asha.log_in("asha", PASSWORD)
    print(f"stranger's six attempts: {statuses}; asha from her own address: {hers}")
    return statuses, hers


def create_database(url):
    """Create the database if it is not there (the role needs CREATEDB)."""
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://harrow:harrow@127.0.0.1:5432/harrow_hostile",
        help="a throwaway database (created if missing when the role may; migrated)",
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="harrow-hostile-"))
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "HARROW"))},
        "HARROW_ENV": "production",
        "SECRET_KEY": "hostile-rehearsal-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": options.database_url,
        "SECURE_PROXY_SSL_HEADER": "1",
        "STATIC_ROOT": str(work / "static"),
        "HARROW_STAFF_PASSWORD": PASSWORD,
        "PYTHONDONTWRITEBYTECODE": "1",
        # The server's temporary folder, of its own: what is left there is its doing.
        "TMPDIR": str(work / "tmp"),
    }
    (work / "tmp").mkdir()

    create_database(options.database_url)

    def manage(*arguments):
        subprocess.run(
            [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    manage("axes_reset")
    manage("create_staff_user", "--role", "editor", "--username", "asha",
           "--email", "asha@example.org")  # fmt: skip
    manage("shell", "-c",
           "from django.contrib.auth.models import User;"
           "u, _ = User.objects.get_or_create(username='hostile-admin');"
           "u.is_staff = u.is_superuser = True;"
           f"u.set_password({PASSWORD!r}); u.save()")  # fmt: skip
    before = leftovers_now(work / "tmp")
    print(f"gunicorn (production settings, 127.0.0.1 only); work files in {work}")

    server = Server(environment, work, proxies=1)
    try:
        files_rehearsal(server, environment, work)
        body_rehearsal(server)
        statuses, hers = lockout_rehearsal(server, 1)
        check(statuses[-1] == 429 and hers == 302, "the proxy lockout is not per client")
        replaced, errors, timeouts, requests_made = server.verdict()
    finally:
        server.stop()
    manage("axes_reset")
    unprotected = Server(environment, work, proxies=0)
    try:
        lockout_rehearsal(unprotected, 0)
    finally:
        unprotected.stop()

    left = leftovers_now(work / "tmp") - before
    print("\n## Verdict")
    print(
        f"{requests_made} requests in the access log; workers replaced: {replaced}; "
        f"worker timeouts or kills: {timeouts}; 5xx: {len(errors)}; left in the server's "
        f"temporary folder (uploads and Django's *.upload files): {sorted(left) or 'nothing'}"
    )
    check(not replaced and not timeouts, "a worker was killed or replaced")
    check(not errors, f"5xx answers: {errors}")
    check(not left, "temporary files left")
    for folder in ("static", "tmp", "pdfs"):
        shutil.rmtree(work / folder, ignore_errors=True)
    print(f"gunicorn's logs are in {work}")
    if problems:
        print(f"{len(problems)} problems: {problems}")
        return 1
    print("no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
