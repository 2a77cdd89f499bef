"""The three small answers of issue 19 (a finding's page, a rare word's search, never-asked
searches), rendered, with the wall-clock p50 and the p50 of this process's CPU time per
request: on a shared machine the CPU time is disturbed less by other work than the wall
clock, so two trees can be compared by running this alternately from each.

    DATABASE_URL=… .venv/bin/python bench/small_answers.py --root . --once once.json
    DATABASE_URL=… .venv/bin/python bench/small_answers.py --root /tmp/before --once once.json

`--root` is the project tree to import (this one by default); `--once` a JSON file
{name: [url, …]} as bench/measure.py takes (each url asked once). The CPU time leaves out
PostgreSQL's own work (another process): read it beside the wall clock.
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

PAGES = ["/inspections/harrow-2020-02/findings/24/", "/findings/?q=radicalisation"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--once", help="JSON file: {name: [url, …]}, each asked once")
    args = parser.parse_args()
    sys.path.insert(0, args.root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    warnings.simplefilter("ignore")
    client = Client()

    def timed(url):
        wall, cpu = time.perf_counter(), time.process_time()
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} did not answer 200")
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

    def summary(times):
        return {
            "wall_p50": statistics.median(t[0] for t in times),
            "cpu_p50": statistics.median(t[1] for t in times),
        }

    result = {"root": args.root, "load": os.getloadavg()[0]}
    for url in PAGES:
        timed(url)  # warm-up: templates compiled, counts and facets computed
        result[url] = summary([timed(url) for _ in range(args.repeat)])
    if args.once:
        for name, urls in json.loads(Path(args.once).read_text()).items():
            result[name] = summary([timed(url) for url in urls])
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
