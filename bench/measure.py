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


def summary(times):
    from measure_stats import percentile

    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--pages", required=True, help="JSON file: [[name, url], …]")
    parser.add_argument(
        "--once", help="JSON file: {name: [url, …]}: each url asked once (never-asked questions)"
    )
    parser.add_argument("--counts", help="JSON file: [[name, API url], …]: the count each gives")
    parser.add_argument(
        "--after-edit",
        nargs="?",
        const="text",
        choices=["text", "tag"],
        help="time each page's first request after an edit, --repeat times, instead of "
        "repeat visits: 'text' (the default) edits a paragraph's words as the admin saves "
        "them (moves the data version only), 'tag' confirms or unconfirms one of its "
        "service-area tags (moves the counts version too: every count and facet is made "
        "again)",
    )
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

    def get(url, **headers):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return took, len(captured), body

    edit = None
    if args.after_edit:
        from judgements.models import Finding

        edited = Finding.objects.filter(tags__isnull=False).order_by("pk").values("pk").first()
        edited = edited["pk"]
        statement = {
            # a sentence added at the end, then taken away: the words change (and their
            # search vector: judgements/word_changes.py logs them), nothing else
            "text": "UPDATE judgements_finding SET version = version + 1, text = CASE WHEN "
            "right(text, 10) = ' Reviewed.' THEN left(text, -10) ELSE text || ' Reviewed.' "
            "END WHERE id = %s",
            "tag": "UPDATE judgements_serviceareatag SET confirmed = NOT confirmed WHERE id = "
            "(SELECT min(id) FROM judgements_serviceareatag WHERE finding_id = %s)",
        }[args.after_edit]

        def edit():  # what a staff edit does to the caches (autocommit: committed)
            with connection.cursor() as cursor:
                cursor.execute(statement, [edited])

    results = {"pages": {}, "once": {}, "counts": {}}
    for name, url in json.loads(Path(args.pages).read_text()):
        times, queries, size = [], set(), 0
        for _ in range(args.repeat + 1):
            if edit:
                edit()
            took, count, body = get(url)
            times.append(took)
            queries.add(count)
            size = len(body)
        first, rest = times[0], times[1:]
        results["pages"][name] = {
            "url": url,
            "first": first,
            **summary(rest),
            "queries": max(queries),
            "bytes": size,
        }
    if args.once:
        for name, urls in json.loads(Path(args.once).read_text()).items():
            times = [get(url)[0] for url in urls]
            results["once"][name] = {"questions": len(urls), **summary(times)}
    if args.counts:
        for name, url in json.loads(Path(args.counts).read_text()):
            _, _, body = get(url, HTTP_ACCEPT="application/json")
            results["counts"][name] = json.loads(body)["count"]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
