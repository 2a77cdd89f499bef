"""Benchmarks of harrow-inspection at national scale, in one command:

    python3 bench/run.py --sizes 1k,10k,100k

For each size it makes (once; --regenerate to redo) a PostgreSQL database
`harrow_bench_<size>` on DATABASE_URL's server (default the shared one at 127.0.0.1)
holding the Harrow report plus synthetic inspections, then measures:

1. server-side latency (first request, then p50/p95/p99 of --repeat more) and SQL query
   count of each page, in-process with Django's test client (bench/measure.py), twice:
   rendered every time (the page cache off: what a first visit to an address costs)
   and with the page cache on (what a repeat visit costs until the data changes);
2. the same questions asked of Datasette, in-process, over an SQLite export of the same
   data with an FTS5 index (bench/export_sqlite.py, bench/datasette_measure.py);
3. throughput under load: gunicorn with 2 workers on 127.0.0.1, wrk with 50 connections
   for --seconds over a mix of the pages (bench/mix.lua), with the page cache on and
   off, and the peak RSS of a worker;
4. once per run (unless --no-import), the import of the report PDFs in ../shared/reports
   into an empty database: its time and peak RSS.

Standard library only: it runs the project's .venv python for Django, and creates
bench/.venv with the versions pinned in bench/requirements.txt for Datasette. wrk comes
from Debian (installed with apt-get when missing). Results are printed as Markdown tables
and saved in bench/.work/results-<size>.json.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = BENCH / ".venv"
WORK = BENCH / ".work"
DEFAULT_SERVER = "postgres://harrow:harrow@127.0.0.1:5432"
PORT = 8765
# size name: (councils, inspections per council); ~30 findings each, plus Harrow's 32
SIZES = {
    "1k": (4, 8),
    "10k": (16, 21),
    "100k": (152, 22),
    "1m": (152, 220),
}
COMMON_WORD = "children"  # in most sentences of the source report
RARE_WORD = "radicalisation"  # in one of its 156 sentences: about 1 finding in 45
TARGET_MS = {"default": 50, "search": 80}


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(command, env=None, **kwargs):
    try:
        return subprocess.run(command, check=True, env={**os.environ, **(env or {})}, **kwargs)
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{error.stderr or ''}") from None


def manage(database_url, *args, capture=False):
    result = run(
        [PYTHON, ROOT / "manage.py", *args],
        env={"DATABASE_URL": database_url},
        capture_output=capture,
        text=True,
    )
    return result.stdout


def psql_scalar(server, database, sql):
    code = (
        "import psycopg2,sys; c=psycopg2.connect(sys.argv[1]); c.autocommit=True; "
        "cur=c.cursor(); cur.execute(sys.argv[2]); r=cur.fetchone() if cur.description "
        "else None; print(r[0] if r else '')"
    )
    out = run([PYTHON, "-c", code, f"{server}/{database}", sql], capture_output=True, text=True)
    return out.stdout.strip()


def prepare_database(server, size, regenerate):
    """The database for one size: migrated, Harrow loaded, synthetic data generated."""
    database = f"harrow_bench_{size}"
    url = f"{server}/{database}"
    exists = psql_scalar(
        server, "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"
    )
    migrated = exists and psql_scalar(
        server, database, "SELECT count(*) FROM pg_class WHERE relname = 'judgements_finding'"
    )
    if migrated == "1" and not regenerate:
        count = psql_scalar(server, database, "SELECT count(*) FROM judgements_finding")
        if int(count) > 100:
            say(f"{size}: reusing {database} ({count} findings)")
            manage(url, "migrate", "--verbosity", "0")
            return url, int(count), None
    psql_scalar(server, "postgres", f"DROP DATABASE IF EXISTS {database}")
    psql_scalar(server, "postgres", f"CREATE DATABASE {database}")
    manage(url, "migrate", "--verbosity", "0")
    manage(url, "loaddata", "harrow-2020-02", "--verbosity", "0")
    councils, inspections = SIZES[size]
    started = time.monotonic()
    out = manage(
        url, "generate_synthetic", "--councils", str(councils), "--inspections",
        str(inspections), "--seed", "1", capture=True,
    )  # fmt: skip
    took = time.monotonic() - started
    say(f"{size}: {out.strip()}")
    psql_scalar(server, database, "VACUUM ANALYZE")
    count = int(psql_scalar(server, database, "SELECT count(*) FROM judgements_finding"))
    return url, count, took


def our_pages(count):
    deep = max(1, int(count / 20 * 0.8))  # four fifths of the way through
    one_council = "local_authority=synthetic-council-0001"
    return [
        ("home", "/"),
        ("inspection page", "/inspections/harrow-2020-02/"),
        ("findings, unfiltered", "/findings/"),
        ("findings, 1 service area", "/findings/?service_area=care-leavers"),
        (
            "findings, 3 service areas",
            "/findings/?service_area=care-leavers&service_area=fostering&service_area=early-help",
        ),
        ("search, common word", f"/findings/?q={COMMON_WORD}"),
        ("search, rare word", f"/findings/?q={RARE_WORD}"),
        (f"deep page ({deep})", f"/findings/?page={deep}"),
        (
            "findings, care leavers, latest overall inadequate",
            "/findings/?service_area=care-leavers&overall_grade=inadequate&latest=yes",
        ),
        ("findings, London by council", "/findings/?region=london&sort=council"),
        ("findings, 2020 by paragraph", "/findings/?year=2020&judgement_grade=good&sort=paragraph"),
        ("feed of a search", f"/findings/feed/?service_area=care-leavers&q={COMMON_WORD}"),
        ("finding page", "/inspections/harrow-2020-02/findings/24/"),
        ("API findings list", "/api/findings/"),
        ("councils compared", "/local-authorities/"),
        ("a council and its neighbours", "/local-authorities/?neighbours_of=harrow"),
        ("a region, sorted by a judgement", "/local-authorities/?region=london&sort=care-leavers"),
        ("a council's grades over time", "/local-authorities/harrow/"),
        ("feed of new inspections", "/inspections/feed/"),
        ("API documentation", "/api/docs/"),
        (
            "CSV, one council's care leavers",
            f"/findings.csv?{one_council}&service_area=care-leavers",
        ),
    ]


# Our page ↔ the same question to Datasette (database "findings", table "findings").
DATASETTE_PAGES = [
    (
        "findings, 1 service area",
        "/findings/findings?service_areas__arraycontains=care-leavers"
        "&_facet_array=service_areas&_facet=judgement_area&_size=20",
    ),
    (
        "search, common word",
        f"/findings/findings?_search={COMMON_WORD}&_facet_array=service_areas"
        "&_facet=judgement_area&_size=20",
    ),
    ("finding page", "/findings/findings/{row_id}"),
]


def measure_ours(url, pages, repeat, page_cache):
    pages_file = WORK / "pages.json"
    pages_file.write_text(json.dumps(pages))
    out = run(
        [PYTHON, BENCH / "measure.py", "--repeat", str(repeat), "--pages", pages_file],
        env={"DATABASE_URL": url, "PAGE_CACHE_SECONDS": "600" if page_cache else "0"},
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def ensure_bench_venv():
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".installed"
    wanted = (BENCH / "requirements.txt").read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    say("installing Datasette into bench/.venv")
    run([sys.executable, "-m", "venv", BENCH_VENV])
    run([python, "-m", "pip", "install", "--quiet", "-r", BENCH / "requirements.txt"])
    stamp.write_text(wanted)
    return python


def measure_datasette(url, size, repeat):
    python = ensure_bench_venv()
    sqlite_file = WORK / f"findings-{size}.db"
    if not sqlite_file.exists():
        say(f"{size}: exporting to SQLite for Datasette")
        partial = WORK / "findings.db"
        run([PYTHON, BENCH / "export_sqlite.py", partial], env={"DATABASE_URL": url})
        partial.rename(sqlite_file)
    link = WORK / "datasette" / "findings.db"  # Datasette names the database by file
    link.parent.mkdir(exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(sqlite_file)
    row_id = psql_scalar(
        url.rsplit("/", 1)[0],
        url.rsplit("/", 1)[1],
        "SELECT f.id FROM judgements_finding f JOIN reports_inspection i "
        "ON i.id = f.inspection_id WHERE i.slug = 'harrow-2020-02' AND f.number = 24",
    )
    pages = [(name, page.format(row_id=row_id)) for name, page in DATASETTE_PAGES]
    pages_file = WORK / "datasette-pages.json"
    pages_file.write_text(json.dumps(pages))
    out = run(
        [python, BENCH / "datasette_measure.py", link, "--repeat", str(repeat),
         "--pages", pages_file],
        cwd=BENCH,
        capture_output=True,
        text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    say("installing wrk from Debian")
    run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def load_test(url, pages, seconds, connections, page_cache):
    """gunicorn (2 workers) + wrk over the mix: requests/s, p95, errors, worker peak RSS."""
    ensure_wrk()
    env = {
        "DATABASE_URL": url,
        "PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        "STATIC_ROOT": str(WORK / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    run([PYTHON, ROOT / "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env=env)
    server = subprocess.Popen(
        [ROOT / ".venv" / "bin" / "gunicorn", "harrow_inspection.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        for _, page in pages:  # each worker's first hit of each page is not the point
            for _ in range(2):
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{page}", timeout=60).read()
        paths = WORK / "mix-paths.txt"
        paths.write_text("\n".join(page for _, page in pages) + "\n")
        out = run(
            ["wrk", "--threads", "2", "--connections", str(connections), "--duration",
             f"{seconds}s", "--timeout", "10s", "--script", BENCH / "mix.lua",
             f"http://127.0.0.1:{PORT}"],
            env={"MIX_PATHS": str(paths)},
            capture_output=True,
            text=True,
        )  # fmt: skip
        summary = json.loads(out.stdout.strip().splitlines()[-1])
        summary["connections"] = connections
        summary["page_cache"] = page_cache
        summary["peak_rss_mb"] = max(peak_rss_mb(pid) for pid in worker_pids(server.pid))
        return summary
    finally:
        server.terminate()
        server.wait(timeout=30)


def import_benchmark(server):
    """Time and peak RSS of `import_reports ../shared/reports` into an empty database."""
    database = "harrow_bench_import"
    psql_scalar(server, "postgres", f"DROP DATABASE IF EXISTS {database}")
    psql_scalar(server, "postgres", f"CREATE DATABASE {database}")
    url = f"{server}/{database}"
    manage(url, "migrate", "--verbosity", "0")
    # A helper process runs the import as its only child, so RUSAGE_CHILDREN is the
    # import's own peak RSS (kB on Linux). Exit status 1 is expected: the 2017 report is
    # of the older SIF framework, which the importer refuses by name.
    helper = (
        "import resource, subprocess, sys, time; t = time.monotonic(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(r.returncode, time.monotonic() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r.stdout)"
    )
    out = run(
        [PYTHON, "-c", helper, PYTHON, ROOT / "manage.py", "import_reports",
         ROOT.parent / "shared" / "reports"],
        env={"DATABASE_URL": url},
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    status, seconds, peak_kb = out.splitlines()[0].split()
    imported = psql_scalar(server, database, "SELECT count(*) FROM reports_inspection")
    pdfs = len(list((ROOT.parent / "shared" / "reports").glob("*.pdf")))
    return {"reports": pdfs, "imported": int(imported), "exit_status": int(status),
            "seconds": float(seconds), "peak_rss_mb": int(peak_kb) / 1024}  # fmt: skip


def target_for(name):
    return TARGET_MS["search" if name.startswith("search") else "default"]


def verdict(name, p95):
    if name.startswith("CSV"):
        return "(streamed)"
    target = target_for(name)
    return "met" if p95 <= target else "**missed**"


def print_tables(size, count, took, rendered, kept, datasette, loads):
    print(f"\n### {size}: {count:,} findings" + (f" (generated in {took:.0f} s)" if took else ""))
    print(
        "\n| page | first ms | rendered p50 / p95 / p99 ms | p95 target | kept p50 / p95 ms "
        "| p95 target | queries |"
    )
    print("| --- | ---: | ---: | --- | ---: | --- | ---: |")
    for name, r in rendered.items():
        k = kept[name]
        print(
            f"| {name} | {r['first']:.1f} | {r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f} "
            f"| ≤ {target_for(name)}: {verdict(name, r['p95'])} | {k['p50']:.1f} / "
            f"{k['p95']:.1f} | {verdict(name, k['p95'])} | {r['queries']} |"
        )
    if datasette:
        print(
            "\n| same question | ours rendered p50 / p95 ms | ours kept p50 / p95 ms "
            "| Datasette p50 / p95 ms | ratio p50 rendered | ratio p50 kept |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, theirs in datasette.items():
            r, k = rendered[name], kept[name]
            print(
                f"| {name} | {r['p50']:.1f} / {r['p95']:.1f} | {k['p50']:.1f} / {k['p95']:.1f} "
                f"| {theirs['p50']:.1f} / {theirs['p95']:.1f} | {r['p50'] / theirs['p50']:.2f} "
                f"| {k['p50'] / theirs['p50']:.2f} |"
            )
    for load in loads:
        mode = "page cache on" if load["page_cache"] else "page cache off"
        print(
            f"\nLoad, {mode} ({load['connections']} connections, {load['duration_s']:.0f} s, "
            f"mix of the {len(rendered)} pages): **{load['requests_per_s']:.0f} requests/s**, "
            f"p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, p99 "
            f"{load['p99_ms']:.0f} ms, {load['errors']} errors ({load['non_2xx']} of them HTTP "
            f"4xx/5xx), peak RSS of a gunicorn worker {load['peak_rss_mb']:.0f} MB"
        )
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--repeat", type=int, default=50, help="requests per page")
    parser.add_argument("--seconds", type=int, default=60, help="load test duration")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-import", action="store_true", help="skip the import benchmark")
    parser.add_argument("--load-sizes", default="100k", help="sizes to load-test")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the databases")
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_SERVER))
    args = parser.parse_args()
    if not PYTHON.exists():
        run([sys.executable, "-m", "harrow_inspection", "manage", "check"], cwd=ROOT)
    WORK.mkdir(exist_ok=True)
    print(f"Machine: {os.cpu_count()} cores, {machine_memory()}; command: {' '.join(sys.argv)}")
    if not args.no_import:
        say("importing the report PDFs in ../shared/reports into an empty database")
        result = import_benchmark(args.server)
        (WORK / "results-import.json").write_text(json.dumps(result, indent=1))
        print(
            f"\nImport of the {result['reports']} report PDFs in ../shared/reports into an "
            f"empty database: {result['imported']} inspections in {result['seconds']:.1f} s "
            f"(exit status {result['exit_status']}), **peak RSS {result['peak_rss_mb']:.0f} MB**"
        )
    for size in args.sizes.split(","):
        url, count, took = prepare_database(args.server, size, args.regenerate)
        pages = our_pages(count)
        say(f"{size}: measuring our pages, rendered every time")
        rendered = measure_ours(url, pages, args.repeat, page_cache=False)
        say(f"{size}: measuring our pages, page cache on")
        kept = measure_ours(url, pages, args.repeat, page_cache=True)
        result = {"size": size, "findings": count, "generated_s": took, "rendered": rendered,
                  "kept": kept}  # fmt: skip
        (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1))  # so far
        datasette = None
        if not args.no_datasette:
            say(f"{size}: measuring Datasette")
            datasette = measure_datasette(url, size, args.repeat)
        loads = []
        if not args.no_load and size in args.load_sizes.split(","):
            for page_cache in (True, False):
                say(f"{size}: load test, page cache {'on' if page_cache else 'off'}")
                loads.append(load_test(url, pages, args.seconds, args.connections, page_cache))
        result = {"size": size, "findings": count, "generated_s": took, "rendered": rendered,
                  "kept": kept, "datasette": datasette, "loads": loads}  # fmt: skip
        (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1))
        print_tables(size, count, took, rendered, kept, datasette, loads)


def machine_memory():
    total = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]
    return f"{int(total) / 1024 / 1024:.1f} GB RAM"


if __name__ == "__main__":
    main()
