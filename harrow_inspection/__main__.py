"""Set-up in one command, from a fresh clone:

    python3 -m harrow_inspection run      install, prepare the database (migrations, the
                                          Harrow report) and serve the site with gunicorn
    python3 -m harrow_inspection test     install (with Debian's Chromium, for the browser
                                          tests, where this runs as root) and run the test
                                          suite (extra arguments go to pytest)
    python3 -m harrow_inspection manage   install and run a manage.py command, e.g.
                                          `... manage createsuperuser`

"Install" means: create .venv/ and install into it exactly the versions pinned in
pyproject.toml (skipped when they are already there). Standard library only, because
this runs before anything is installed. Without DATABASE_URL the app uses its embedded
PostgreSQL server (harrow_inspection/embedded_db.py).
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed-pins"


def say(message):
    print(f"[harrow-inspection] {message}", flush=True)


def pinned_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"]]


def ensure_environment():
    """Create .venv/ and install the pinned packages, unless that is already done."""
    requirements = pinned_requirements()
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == digest:
        return
    if not PYTHON.exists():
        say(f"Creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say("Installing the packages pinned in pyproject.toml")
    subprocess.run(
        [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
        check=True,
    )
    STAMP.write_text(digest)


def ensure_browser():
    """The browser tests drive Debian's Chromium; install it where this machine can."""
    if os.environ.get("CHROMIUM") or shutil.which("chromium"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing Debian's chromium for the browser tests")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            check=True,
            env=environment,
        )
    else:
        say(
            "The browser tests need Chromium: install it (Debian: apt-get install chromium) "
            "or set CHROMIUM to its path."
        )


def exec_in_environment(*arguments):
    """Replace this process with the virtual environment's Python running `arguments`."""
    os.chdir(ROOT)
    os.execv(PYTHON, [PYTHON, *arguments])


# gunicorn's access log as JSON lines, like the app's own logs: the path without its query
# string (search words and filters stay out of the logs), no client address, and the
# request's id from the response header, to join the two logs up. Every value is escaped
# as JSON escapes strings (harrow_inspection/access_log.py), whatever the path holds.
ACCESS_LOG_FORMAT = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)


def gunicorn_arguments(host, port, workers, threads=4):
    """How the run command serves the site with gunicorn (tests start it the same way)."""
    return [
        "-m", "gunicorn", "harrow_inspection.wsgi",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        # Threaded workers: a slow client (a 70 MB download over a phone) holds one
        # thread, not a whole worker, and the 30 s timeout is the worker's heartbeat, not
        # the length of a response, so a long download is never cut off.
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--access-logfile", "-",
        "--access-logformat", ACCESS_LOG_FORMAT,
        "--logger-class", "harrow_inspection.access_log.JsonAccessLogger",
        # gunicorn 25+ opens a control socket, by default in ~/.gunicorn/, shared by
        # every instance the user runs; this site needs none.
        "--no-control-socket",
    ]  # fmt: skip


def run(options):
    subprocess.run([PYTHON, "manage.py", "setup_site"], check=True, cwd=ROOT)
    address = f"http://{options.host}:{options.port}/"
    admin = os.environ.get("ADMIN_PATH", "admin/").strip().strip("/") + "/"
    say(f"Serving the site at {address} (staff admin at {address}{admin}). Stop with Ctrl+C.")
    exec_in_environment(
        *gunicorn_arguments(
            options.host, options.port, options.workers, getattr(options, "threads", 4)
        )
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m harrow_inspection",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="set up and serve the site")
    run_parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run_parser.add_argument("--workers", type=int, default=2)
    run_parser.add_argument("--threads", type=int, default=4, help="per worker")
    commands.add_parser("test", help="set up and run the tests (extra arguments go to pytest)")
    commands.add_parser("manage", help="set up and run a manage.py command")
    options, rest = parser.parse_known_args(argv)
    if options.command == "run" and rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")

    ensure_environment()
    if options.command == "run":
        run(options)
    elif options.command == "test":
        ensure_browser()
        exec_in_environment("-m", "pytest", *rest)
    else:
        exec_in_environment("manage.py", *rest)


if __name__ == "__main__":
    sys.exit(main())
