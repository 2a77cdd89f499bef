"""Server-side latency of the same questions asked of Datasette, in-process through its
own ASGI client (datasette.client), so it is measured as bench/measure.py measures ours.
Run by bench/run.py with bench/.venv's python; prints one JSON object.

    bench/.venv/bin/python bench/datasette_measure.py findings.db --repeat 50 --pages p.json
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from datasette.app import Datasette
from measure_stats import percentile


def summary(times):
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
    }


async def run(path, repeat, pages, once, counts):
    # Datasette's time limits (1 s per query, 200 ms per facet) are raised so that it
    # answers the whole question at every size, as ours does: at 1M its faceted list
    # takes longer than a second, and a facet that gives up would flatter it. Suggested
    # facets are off: our pages suggest none, and they cost Datasette a query per column.
    datasette = Datasette(
        [path],
        settings={"num_sql_threads": 1, "sql_time_limit_ms": 120_000,
                  "facet_time_limit_ms": 120_000, "suggest_facets": False},
    )  # fmt: skip
    await datasette.invoke_startup()

    async def get(url):
        started = time.perf_counter()
        response = await datasette.client.get(url)
        _ = response.content
        took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"Datasette answered {response.status_code} to {url}")
        return took, response

    results = {"pages": {}, "once": {}, "counts": {}}
    for name, url in pages:
        times = []
        for _ in range(repeat + 1):
            took, response = await get(url)
            times.append(took)
        first, rest = times[0], times[1:]
        results["pages"][name] = {"url": url, "first": first, **summary(rest),
                                  "bytes": len(response.content)}  # fmt: skip
    for name, urls in once.items():
        times = [(await get(url))[0] for url in urls]
        results["once"][name] = {"questions": len(urls), **summary(times)}
    for name, url in counts:
        _, response = await get(url)
        results["counts"][name] = response.json()["filtered_table_rows_count"]
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--pages", required=True)
    parser.add_argument("--once", help="JSON file: {name: [url, …]}, each asked once")
    parser.add_argument("--counts", help="JSON file: [[name, .json url], …]")
    args = parser.parse_args()
    pages = json.loads(Path(args.pages).read_text())
    once = json.loads(Path(args.once).read_text()) if args.once else {}
    counts = json.loads(Path(args.counts).read_text()) if args.counts else []
    json.dump(asyncio.run(run(args.database, args.repeat, pages, once, counts)), sys.stdout)


if __name__ == "__main__":
    main()
