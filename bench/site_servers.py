"""gunicorn instances of the site as the run command starts them (threaded workers), for
bench/download.py and bench/rehearsal.py. Standard library only."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
WORK = BENCH / ".work"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from measure_stats import percentile  # noqa: E402, F401 - for the scripts

from harrow_inspection.__main__ import gunicorn_arguments  # noqa: E402


def site_environment(database_url, **extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HARROW_ENV", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    }
    environment.update(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(WORK / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return environment


def collect_static(environment):
    subprocess.run(
        [PYTHON, ROOT / "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=environment, check=True, cwd=ROOT,
    )  # fmt: skip


def start(port, environment, workers=2, log=None):
    """A gunicorn serving the site on 127.0.0.1:port, once it answers /healthz."""
    arguments = gunicorn_arguments("127.0.0.1", port, workers)
    arguments[arguments.index("--access-logfile") + 1] = "/dev/null"
    process = subprocess.Popen(
        [PYTHON, *arguments], cwd=ROOT, env=environment,
        stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn on port {port} exited") from None
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not start")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
