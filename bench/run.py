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
3. throughput under load: gunicorn as the run command starts it (2 threaded workers)
   on 127.0.0.1, wrk with 50 connections for --seconds over a mix of the pages
   (bench/mix.lua), with the page cache on and off, and the peak RSS of a worker;
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
    "real": None,  # the national corpus, built by `manage.py setup_site` (--real-database)
}
COMMON_WORD = "children"  # in most sentences of the source report
RARE_WORD = "radicalisation"  # in one of its 156 sentences: about 1 finding in 45
TARGET_MS = {"default": 50, "search": 80}
NEVER_ASKED = 50  # distinct search words, each asked once (--never-asked)


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


def prepare_database(server, size, regenerate, prefix="harrow_bench_", real=None):
    """The database for one size: migrated, Harrow loaded, synthetic data generated; for
    "real", the national corpus database as `setup_site` left it (never regenerated)."""
    if size == "real":
        base, name = real.rsplit("/", 1)
        count = int(psql_scalar(base, name, "SELECT count(*) FROM judgements_finding"))
        say(f"real: {real.rsplit('@', 1)[-1]} ({count} findings)")
        return real, count, None
    database = f"{prefix}{size}"
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


def our_pages(count, search_count, council="synthetic-council-0001"):
    deep = max(1, int(count / 20 * 0.8))  # four fifths of the way through
    deep_search = max(1, int(search_count / 20 * 0.8))
    one_council = f"local_authority={council}"
    return [
        ("home", "/"),
        ("comparison of councils", "/local-authorities/"),
        ("council page", "/local-authorities/harrow/"),
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
        (f"search deep page ({deep_search})", f"/findings/?q={COMMON_WORD}&page={deep_search}"),
        ("service areas", "/service-areas/"),
        ("service area page", "/service-areas/care-leavers/"),
        ("finding page", "/inspections/harrow-2020-02/findings/24/"),
        ("glossary", "/glossary/"),
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


FACETED = "&_facet_array=service_areas&_facet=judgement_area&_size=20"

# Our page ↔ the same question to Datasette (database "findings", table "findings").
DATASETTE_PAGES = [
    ("findings, unfiltered", "/findings/findings?_sort_desc=start_date" + FACETED),
    ("findings, 1 service area", "/findings/findings?service_areas__arraycontains=care-leavers"
     + FACETED),
    ("search, common word", f"/findings/findings?_search={COMMON_WORD}" + FACETED),
    ("search, rare word", f"/findings/findings?_search={RARE_WORD}" + FACETED),
    ("finding page", "/findings/findings/{row_id}"),
]  # fmt: skip

# The same questions again, for the number of findings each side says match: the bench
# fails unless they agree (a Datasette that ignored _search once answered everything).
COUNT_QUESTIONS = [
    ("findings, unfiltered", "/api/findings/", "/findings/findings.json?_size=1"),
    ("findings, 1 service area", "/api/findings/?service_area=care-leavers",
     "/findings/findings.json?service_areas__arraycontains=care-leavers&_size=1"),
    ("search, common word", f"/api/findings/?q={COMMON_WORD}",
     f"/findings/findings.json?_search={COMMON_WORD}&_size=1"),
    ("search, rare word", f"/api/findings/?q={RARE_WORD}",
     f"/findings/findings.json?_search={RARE_WORD}&_size=1"),
]  # fmt: skip


def never_asked_words(url, how_many):
    """`how_many` distinct words of the findings (6+ letters), in an arbitrary but fixed
    order: searches that no cache has seen (each is asked once per run)."""
    base, name = url.rsplit("/", 1)
    words = psql_scalar(
        base, name,
        "SELECT string_agg(w, ' ') FROM (SELECT w FROM (SELECT DISTINCT lower(m[1]) AS w "
        "FROM (SELECT text FROM judgements_finding ORDER BY id LIMIT 20000) t, "
        "regexp_matches(t.text, '([A-Za-z]{6,})', 'g') AS m) d "
        f"ORDER BY md5(w) LIMIT {how_many}) s",
    )  # fmt: skip
    return words.split()


def search_count(url, word):
    base, name = url.rsplit("/", 1)
    return int(psql_scalar(
        base, name,
        "SELECT count(*) FROM judgements_finding WHERE search_vector @@ "
        f"websearch_to_tsquery('english', '{word}')",
    ))  # fmt: skip


def measure_ours(url, pages, repeat, page_cache, once=None, counts=None, after_edit=False,
                 cache_url=None):  # fmt: skip
    args = [PYTHON, BENCH / "measure.py", "--repeat", str(repeat), "--pages", WORK / "pages.json"]
    (WORK / "pages.json").write_text(json.dumps(pages))
    if once:
        (WORK / "once.json").write_text(json.dumps(once))
        args += ["--once", WORK / "once.json"]
    if counts:
        (WORK / "counts.json").write_text(json.dumps(counts))
        args += ["--counts", WORK / "counts.json"]
    if after_edit:
        args += ["--after-edit", "text" if after_edit is True else after_edit]
    env = {"DATABASE_URL": url, "PAGE_CACHE_SECONDS": "600" if page_cache else "0"}
    if cache_url:
        env["CACHE_URL"] = cache_url
        env["CACHE_KEY_PREFIX"] = f"bench-{time.time_ns()}"
    out = run(args, env=env, capture_output=True, text=True)
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


def sqlite_export(url, size):
    """The SQLite file for Datasette, exported again whenever the data (or the export
    script) has changed."""
    sqlite_file = WORK / f"findings-{size}.db"
    exported = WORK / f"findings-{size}.exported"
    stamp = psql_scalar(
        url.rsplit("/", 1)[0], url.rsplit("/", 1)[1],
        "SELECT version || ' ' || changed_at FROM reports_dataversion WHERE id = 1",
    ) + (BENCH / "export_sqlite.py").read_text()  # fmt: skip
    if not sqlite_file.exists() or not exported.exists() or exported.read_text() != stamp:
        say(f"{size}: exporting to SQLite for Datasette")
        partial = WORK / "findings.db"
        run([PYTHON, BENCH / "export_sqlite.py", partial], env={"DATABASE_URL": url})
        partial.rename(sqlite_file)
        exported.write_text(stamp)
    return sqlite_file


def same_meaning_words(url, sqlite_file, how_many):
    """Never-asked words that both search engines read the same way, and those left out.

    PostgreSQL's English stemmer (Snowball) and SQLite FTS5's Porter stemmer group some
    word forms differently ("robustly"), so for a few words the two sides would answer
    different questions. Those are left out, by counting each word on both sides directly
    (SQL, not through either site, so nothing is cached before the timed requests)."""
    import sqlite3

    db = sqlite3.connect(sqlite_file)
    kept, left_out = [], []
    for word in never_asked_words(url, how_many * 3):
        theirs = db.execute(
            "SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?", (f'"{word}"',)
        ).fetchone()[0]
        (kept if search_count(url, word) == theirs else left_out).append(word)
        if len(kept) == how_many:
            break
    db.close()
    return kept, left_out


def measure_datasette(url, size, repeat, once, counts):
    python = ensure_bench_venv()
    sqlite_file = sqlite_export(url, size)
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
    for name, data in (("datasette-pages", pages), ("datasette-once", once),
                       ("datasette-counts", counts)):  # fmt: skip
        (WORK / f"{name}.json").write_text(json.dumps(data))
    out = run(
        [python, BENCH / "datasette_measure.py", link, "--repeat", str(repeat),
         "--pages", WORK / "datasette-pages.json", "--once", WORK / "datasette-once.json",
         "--counts", WORK / "datasette-counts.json"],
        cwd=BENCH,
        capture_output=True,
        text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def check_counts(ours, theirs):
    """Every shared question must find the same number of findings on both sides."""
    wrong = {n: (ours[n], theirs.get(n)) for n in ours if ours[n] != theirs.get(n)}
    if wrong:
        for name, (mine, datasette) in wrong.items():
            say(f"COUNTS DIFFER for {name!r}: ours {mine}, Datasette {datasette}")
        raise SystemExit(
            f"{len(wrong)} of {len(ours)} shared questions got different counts: the "
            "comparison would not compare the same work (see above)."
        )
    return len(ours)


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
    sys.path.insert(0, str(ROOT))
    from harrow_inspection.__main__ import gunicorn_arguments  # standard library only

    arguments = gunicorn_arguments("127.0.0.1", PORT, workers=2)  # as the run command serves
    arguments[arguments.index("--access-logfile") + 1] = "/dev/null"
    server = subprocess.Popen(
        [PYTHON, *arguments, "--log-level", "warning"], cwd=ROOT, env={**os.environ, **env}
    )
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


def print_tables(size, count, took, result):
    rendered, kept = result["rendered"]["pages"], result["kept"]["pages"]
    after, shared = result["after_edit"]["pages"], (result.get("after_edit_shared") or {})
    shared = shared.get("pages", {})
    tag = (result.get("after_tag") or {}).get("pages", {})
    datasette, loads = result.get("datasette"), result.get("loads", [])
    print(f"\n### {size}: {count:,} findings" + (f" (generated in {took:.0f} s)" if took else ""))
    print(
        "\n| page | first ms | rendered p50 / p95 / p99 ms | p95 target | kept p50 / p95 ms "
        "| first after a text edit p50 / p95 ms" + (" | the same, shared cache p50 / p95" if
        shared else "") + (" | first after a tag change p50 / p95" if tag else "") + " | queries |"
    )  # fmt: skip
    print("| --- | ---: | ---: | --- | ---: | ---: |" + (" ---: |" if shared else "")
          + (" ---: |" if tag else "") + " ---: |")  # fmt: skip
    for name, r in rendered.items():
        k, a = kept[name], after[name]
        line = (
            f"| {name} | {r['first']:.1f} | {r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f} "
            f"| ≤ {target_for(name)}: {verdict(name, r['p95'])} | {k['p50']:.1f} / "
            f"{k['p95']:.1f} | {a['p50']:.1f} / {a['p95']:.1f} |"
        )
        if shared:
            line += f" {shared[name]['p50']:.1f} / {shared[name]['p95']:.1f} |"
        if tag:
            line += f" {tag[name]['p50']:.1f} / {tag[name]['p95']:.1f} |"
        print(line + f" {r['queries']} |")
    once = result["rendered"].get("once", {})
    for name, o in once.items():
        print(
            f"\n{name.capitalize()} ({o['questions']} distinct words, each asked once, rendered): "
            f"p50 {o['p50']:.1f} / p95 {o['p95']:.1f} / p99 {o['p99']:.1f} ms"
        )
    if result.get("words_left_out"):
        print(
            f"\nLeft out of the never-asked words: {', '.join(result['words_left_out'])} "
            "(PostgreSQL's Snowball and SQLite's Porter stemmer match different word forms)."
        )
    if datasette:
        print(
            f"\nCounts checked: {result['counts_checked']} shared questions, the same number "
            "of findings on both sides."
        )
        print(
            "\n| same question | ours rendered p50 / p95 ms | ours kept p50 / p95 ms "
            "| Datasette p50 / p95 ms | ratio p50 rendered | ratio p95 rendered | ratio p50 kept |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, theirs in datasette["pages"].items():
            r, k = rendered[name], kept[name]
            print(
                f"| {name} | {r['p50']:.1f} / {r['p95']:.1f} | {k['p50']:.1f} / {k['p95']:.1f} "
                f"| {theirs['p50']:.1f} / {theirs['p95']:.1f} | {r['p50'] / theirs['p50']:.2f} "
                f"| {r['p95'] / theirs['p95']:.2f} | {k['p50'] / theirs['p50']:.2f} |"
            )
        for name, theirs in datasette["once"].items():
            r = once[name]
            print(
                f"| {name} (each once) | {r['p50']:.1f} / {r['p95']:.1f} | (never kept) "
                f"| {theirs['p50']:.1f} / {theirs['p95']:.1f} | {r['p50'] / theirs['p50']:.2f} "
                f"| {r['p95'] / theirs['p95']:.2f} | |"
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
    parser.add_argument("--database-prefix", default="harrow_bench_",
                        help="synthetic databases are <prefix><size>")  # fmt: skip
    parser.add_argument(
        "--real-database",
        default=os.environ.get("BENCH_REAL_DATABASE"),
        help="for --sizes real: the database `manage.py setup_site` built from the corpus",
    )
    parser.add_argument("--never-asked", type=int, default=NEVER_ASKED,
                        help="distinct search words asked once each")  # fmt: skip
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL"),
        help="a Redis (redis://…): also measure the first request after an edit with it",
    )
    args = parser.parse_args()
    if "real" in args.sizes.split(",") and not args.real_database:
        parser.error("--sizes real needs --real-database postgres://…/the-corpus-database")
    if not PYTHON.exists():
        run([sys.executable, "-m", "harrow_inspection", "manage", "check"], cwd=ROOT)
    WORK.mkdir(exist_ok=True)
    load = os.getloadavg()
    print(
        f"Machine: {os.cpu_count()} cores, {machine_memory()}; load average at the start "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; command: {' '.join(sys.argv)}"
    )
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
        url, count, took = prepare_database(
            args.server, size, args.regenerate, args.database_prefix, args.real_database
        )
        council = "harrow" if size == "real" else "synthetic-council-0001"
        pages = our_pages(count, search_count(url, COMMON_WORD), council)
        left_out = []
        if args.no_datasette:
            words = never_asked_words(url, args.never_asked)
        else:
            words, left_out = same_meaning_words(url, sqlite_export(url, size), args.never_asked)
        once = {"never-asked searches": [f"/findings/?q={word}" for word in words]}
        counts = [(name, ours) for name, ours, _ in COUNT_QUESTIONS]
        counts += [(f"q={word}", f"/api/findings/?q={word}") for word in words]
        result = {"size": size, "findings": count, "generated_s": took, "words": words,
                  "words_left_out": left_out}  # fmt: skip
        say(f"{size}: measuring our pages, rendered every time")
        result["rendered"] = measure_ours(url, pages, args.repeat, False, once, counts)
        say(f"{size}: measuring our pages, page cache on")
        result["kept"] = measure_ours(url, pages, args.repeat, page_cache=True)
        say(f"{size}: measuring the first request after an edit")
        edits = min(args.repeat, 20)
        result["after_edit"] = measure_ours(url, pages, edits, True, after_edit=True)
        if args.cache_url:
            result["after_edit_shared"] = measure_ours(
                url, pages, edits, True, after_edit=True, cache_url=args.cache_url
            )
        say(f"{size}: measuring the first request after a tag is confirmed")
        result["after_tag"] = measure_ours(url, pages, edits, True, after_edit="tag")
        (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1))  # so far
        if not args.no_datasette:
            say(f"{size}: measuring Datasette")
            theirs_once = {"never-asked searches": [
                f"/findings/findings?_search={word}" + FACETED for word in words]}  # fmt: skip
            theirs_counts = [(name, theirs) for name, _, theirs in COUNT_QUESTIONS]
            theirs_counts += [
                (f"q={word}", f"/findings/findings.json?_search={word}&_size=1") for word in words
            ]
            result["datasette"] = measure_datasette(
                url, size, args.repeat, theirs_once, theirs_counts
            )
            (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1))
            result["counts_checked"] = check_counts(
                result["rendered"]["counts"], result["datasette"]["counts"]
            )
        result["loads"] = []
        if not args.no_load and size in args.load_sizes.split(","):
            for page_cache in (True, False):
                say(f"{size}: load test, page cache {'on' if page_cache else 'off'}")
                result["loads"].append(
                    load_test(url, pages, args.seconds, args.connections, page_cache)
                )
        (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1))
        print_tables(size, count, took, result)


def machine_memory():
    total = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]
    return f"{int(total) / 1024 / 1024:.1f} GB RAM"


if __name__ == "__main__":
    main()
