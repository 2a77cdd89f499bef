"""Time one page rendered in-process (the page cache off), or profile it with cProfile.

    DATABASE_URL=… .venv/bin/python bench/profile_page.py /local-authorities/ --repeat 30
    DATABASE_URL=… .venv/bin/python bench/profile_page.py /local-authorities/ --profile 20

Prints p50/p95 of `repeat` requests after one warm-up request (bench/measure.py counts
queries); with
--profile, the functions with the most cumulative time over that many requests.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", type=int, default=0, help="profile this many requests")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from measure_stats import percentile

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    for url in args.urls:
        response = client.get(url)  # warm-up: imports, template compilation, facet caches
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.profile):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
            continue
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{url}: p50 {statistics.median(times):.1f} / p95 {percentile(times, 95):.1f} ms"
            f" over {args.repeat}, {len(response.content)} bytes"
        )


if __name__ == "__main__":
    main()
