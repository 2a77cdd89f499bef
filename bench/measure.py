"""Server-side latency and SQL query count of each page, measured in-process with
Django's test client against the database in DATABASE_URL. Run by bench/run.py with the
project's own .venv python; prints one JSON object.

    DATABASE_URL=… .venv/bin/python bench/measure.py --repeat 50 --pages pages.json

Each page is asked for once first (its "first" time: cold caches, including the facet
cache that a data change empties), then `repeat` more times for p50/p95/p99.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")


def main():
    from measure_stats import percentile

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--pages", required=True, help="JSON file: [[name, url], …]")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Static files from the apps' folders, as the tests do: no collectstatic needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    results = {}
    for name, url in json.loads(Path(args.pages).read_text()):
        times, queries, size = [], set(), 0
        for _ in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.add(len(captured))
            size = len(body)
        first, rest = times[0], times[1:]
        results[name] = {
            "url": url,
            "first": first,
            "p50": statistics.median(rest),
            "p95": percentile(rest, 95),
            "p99": percentile(rest, 99),
            "queries": max(queries),
            "bytes": size,
        }
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
