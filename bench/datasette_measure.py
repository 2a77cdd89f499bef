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


async def run(path, repeat, pages):
    # Datasette's time limits (1 s per query, 200 ms per facet) are raised so that it
    # answers the whole question at every size, as ours does: at 1M its faceted list
    # takes longer than a second, and a facet that gives up would flatter it.
    datasette = Datasette(
        [path],
        settings={"num_sql_threads": 1, "sql_time_limit_ms": 120_000,
                  "facet_time_limit_ms": 120_000},
    )  # fmt: skip
    await datasette.invoke_startup()
    results = {}
    for name, url in pages:
        times = []
        for _ in range(repeat + 1):
            started = time.perf_counter()
            response = await datasette.client.get(url)
            _ = response.content
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"Datasette answered {response.status_code} to {url}")
        first, rest = times[0], times[1:]
        results[name] = {
            "url": url,
            "first": first,
            "p50": statistics.median(rest),
            "p95": percentile(rest, 95),
            "p99": percentile(rest, 99),
            "bytes": len(response.content),
        }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--pages", required=True)
    args = parser.parse_args()
    pages = json.loads(Path(args.pages).read_text())
    json.dump(asyncio.run(run(args.database, args.repeat, pages)), sys.stdout)


if __name__ == "__main__":
    main()
