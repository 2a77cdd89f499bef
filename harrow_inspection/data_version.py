"""Change tracking for HTTP caching and every cache of the site: a statement-level
trigger on every data table bumps one counter row, whatever wrote the data (the admin, an
import, a fixture, a restore or plain SQL).

The counter is the model named by the DATA_VERSION_MODEL setting (``reports.DataVersion``),
looked up by name as Django looks up AUTH_USER_MODEL, so this ground floor imports no app.
The triggers are installed by migrations: each app's migration that creates a data table
adds ``track_changes(table)`` for it (`docs/decisions/data-version-triggers.md`);
tests/test_data_version.py fails, naming the table, if one is forgotten.
"""

import contextlib
import datetime
import hashlib
import logging
import queue
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connections, migrations
from django.db.models import Subquery
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix

from harrow_inspection.compiled import CompiledValues

logger = logging.getLogger(__name__)

NEVER_CHANGED = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # an empty database
TRIGGER_NAME = "harrow_data_changed"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION harrow_bump_data_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO "{counter}" (id, version, changed_at)
    VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
    SET version = "{counter}".version + 1, changed_at = clock_timestamp();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

# Since reports 0011 the counter has a second number, `counts`: it moves with every write
# that can change what a filter without a text search selects, and not with the others (a
# paragraph's words edited, a history row, a review decision). Counts, facets and
# drop-downs of such lists are remembered per `counts` (`for_counts`), so the everyday edit
# of a paragraph's words no longer makes every list count again
# (docs/decisions/counts-version.md). `version` still moves with every write: pages, ETags
# and text searches are keyed by it.
BUMP_SQL = """
    INSERT INTO "{counter}" (id, version, changed_at, counts, counts_changed_at)
    VALUES (1, 1, clock_timestamp(), 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
    SET version = "{counter}".version + 1, changed_at = clock_timestamp(),
        counts = "{counter}".counts + CASE WHEN moves_counts THEN 1 ELSE 0 END,
        counts_changed_at = CASE WHEN moves_counts THEN clock_timestamp()
                                 ELSE "{counter}".counts_changed_at END;
"""

# A trigger given the argument 'no-counts' (history tables, review decisions) moves only
# `version`.
COUNTS_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION harrow_bump_data_version() RETURNS trigger AS $$
DECLARE
    moves_counts boolean := TG_NARGS = 0 OR TG_ARGV[0] <> 'no-counts';
BEGIN
    {bump}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

# An UPDATE of findings moves `counts` only if it changed a column that a filter, a facet
# or a count reads. The words, their search vector and the row's edit number are read only
# by text searches, which are keyed by `version` (tests/test_counts_version.py fails if a
# new column of the table is in neither list).
FINDING_TEXT_COLUMNS = ("text", "search_vector", "version")
FINDING_COUNTED_COLUMNS = (
    "id",
    "inspection_id",
    "judgement_id",
    "number",
    "listed_date",
    "no_service_area",
)

FINDING_UPDATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION harrow_finding_updated() RETURNS trigger AS $$
DECLARE
    moves_counts boolean := EXISTS (
        SELECT {columns} FROM harrow_new_findings
        EXCEPT ALL
        SELECT {columns} FROM harrow_old_findings
    );
BEGIN
    {bump}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

FINDING_TRIGGERS_SQL = """
CREATE OR REPLACE TRIGGER harrow_data_changed
AFTER INSERT OR DELETE OR TRUNCATE ON judgements_finding
FOR EACH STATEMENT EXECUTE FUNCTION harrow_bump_data_version();
CREATE OR REPLACE TRIGGER harrow_finding_updated
AFTER UPDATE ON judgements_finding
REFERENCING OLD TABLE AS harrow_old_findings NEW TABLE AS harrow_new_findings
FOR EACH STATEMENT EXECUTE FUNCTION harrow_finding_updated();
"""


def count_changes(counter_table):
    """Migration operations (reports 0011's): the counter's `counts` number and the
    triggers that move it."""
    bump = BUMP_SQL.format(counter=counter_table)
    return [
        migrations.RunSQL(
            COUNTS_FUNCTION_SQL.format(bump=bump),
            FUNCTION_SQL.format(counter=counter_table),
        ),
        migrations.RunSQL(
            FINDING_UPDATE_FUNCTION_SQL.format(
                bump=bump, columns=", ".join(FINDING_COUNTED_COLUMNS)
            ),
            "DROP FUNCTION IF EXISTS harrow_finding_updated() CASCADE",
        ),
    ]


# Since reports 0012 the counter row also says, for each table, which write through it last
# moved `counts`: its version and time ("tables": {"judgements_serviceareatag": [version,
# Unix time]}, the time that write's changed_at), so that a text search's count can tell
# whether a table it reads has changed since it was made (judgements/word_changes.py): a
# tag confirmed changes no count of a search that no tag filters. The counter row is
# locked before the time is read, so times follow versions (a write waiting for the lock
# is stamped when it has it); the version is the exact order, the time tells a database
# emptied and counting again from 1.
TABLES_BUMP_SQL = """
    DECLARE
        stamp timestamptz;
    BEGIN
        PERFORM 1 FROM "{counter}" WHERE id = 1 FOR UPDATE;
        stamp := clock_timestamp();
        INSERT INTO "{counter}" (id, version, changed_at, counts, counts_changed_at, tables)
        VALUES (1, 1, stamp, 1, stamp,
                jsonb_build_object(TG_TABLE_NAME, jsonb_build_array(1, extract(epoch FROM stamp))))
        ON CONFLICT (id) DO UPDATE
        SET version = "{counter}".version + 1, changed_at = stamp,
            counts = "{counter}".counts + CASE WHEN moves_counts THEN 1 ELSE 0 END,
            counts_changed_at = CASE WHEN moves_counts THEN stamp
                                     ELSE "{counter}".counts_changed_at END,
            tables = CASE WHEN moves_counts
                          THEN COALESCE("{counter}".tables, '{{}}') || jsonb_build_object(
                              TG_TABLE_NAME,
                              jsonb_build_array("{counter}".version + 1, extract(epoch FROM stamp)))
                          ELSE "{counter}".tables END;
    END;
"""


def count_changes_by_table(counter_table):
    """Migration operations (reports 0012's): the trigger functions also stamp, in the
    counter's `tables`, the table whose write moved `counts` (the same functions as
    reports 0011's, with this bump, a block of its own, in place of BUMP_SQL)."""
    columns = ", ".join(FINDING_COUNTED_COLUMNS)
    bump = TABLES_BUMP_SQL.format(counter=counter_table)
    old_bump = BUMP_SQL.format(counter=counter_table)
    return [
        migrations.RunSQL(
            COUNTS_FUNCTION_SQL.format(bump=bump), COUNTS_FUNCTION_SQL.format(bump=old_bump)
        ),
        migrations.RunSQL(
            FINDING_UPDATE_FUNCTION_SQL.format(bump=bump, columns=columns),
            FINDING_UPDATE_FUNCTION_SQL.format(bump=old_bump, columns=columns),
        ),
    ]


def finding_updates_count_only_if_counted_columns_change():
    """Migration operations (judgements 0021's): text edits of findings move `version`
    only."""
    return [
        migrations.RunSQL(
            FINDING_TRIGGERS_SQL,
            "DROP TRIGGER IF EXISTS harrow_finding_updated ON judgements_finding;"
            + TRIGGER_SQL.format(table="judgements_finding"),
        )
    ]


TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER harrow_data_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION harrow_bump_data_version()
"""


def install_function(counter_table):
    """Migration operation: the trigger function that bumps the one row of
    `counter_table` (the DATA_VERSION_MODEL's table); once, before any track_changes."""
    return migrations.RunSQL(
        FUNCTION_SQL.format(counter=counter_table),
        "DROP FUNCTION IF EXISTS harrow_bump_data_version() CASCADE",
    )


def track_changes(*tables):
    """Migration operations: writes to these tables bump the data version."""
    return [
        migrations.RunSQL(
            TRIGGER_SQL.format(table=table),
            f'DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON "{table}"',
        )
        for table in tables
    ]


NO_COUNTS_TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER harrow_data_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION harrow_bump_data_version('no-counts')
"""


def track_changes_counting_nothing(*tables):
    """Migration operations: writes to these tables (history, review decisions: read by
    no filter or count) move `version` but not `counts`."""
    return [
        migrations.RunSQL(
            NO_COUNTS_TRIGGER_SQL.format(table=table), TRIGGER_SQL.format(table=table)
        )
        for table in tables
    ]


def version_model():
    return apps.get_model(settings.DATA_VERSION_MODEL)


def _version_row():
    return (
        version_model()
        .objects.filter(pk=1)
        .values("version", "changed_at", "counts", "counts_changed_at")
    )


# Read by every request: compiled once per process and prepared once per connection
# (harrow_inspection/compiled.py). Through the ORM, building this one-row lookup's SQL
# cost more than the lookup (about a sixth of a finding's page, rendered).
VERSION_ROW = CompiledValues(_version_row)


VERSION_COLUMNS = ("version", "changed_at", "counts", "counts_changed_at")


def _versions(row):
    """((version, changed_at), counts version) from the counter's columns (None for an
    empty database, which has no counter row yet)."""
    if row is None or row["version"] is None:
        return (0, NEVER_CHANGED), ("c0", NEVER_CHANGED)
    counts_changed_at = row["counts_changed_at"] or NEVER_CHANGED
    return (row["version"], row["changed_at"]), (f"c{row['counts']}", counts_changed_at)


def _read():
    """((version, changed_at), counts version) in one primary-key lookup."""
    rows = VERSION_ROW.rows()
    return _versions(rows[0] if rows else None)


def in_the_same_query():
    """The counter's columns as subqueries, for a view that reads the data version in
    its own query (`read_with`): {name: expression} for `.values()`."""
    row = version_model().objects.filter(pk=1)
    return {f"data_{name}": Subquery(row.values(name)) for name in VERSION_COLUMNS}


def read_with(request, row):
    """For a view marked `reads_version_itself`: the data version its own query read
    (`in_the_same_query`), in the same snapshot as the data it shows, so the page's
    ETag is that of its content and the request needs no query of its own for it. The
    version read first (the page cache's, or a conditional request's) is kept."""
    if getattr(request, "data_version", None) is None:
        request.data_version, request.counts_version = _versions(
            {name: row[f"data_{name}"] for name in VERSION_COLUMNS}
        )


def reads_version_itself(view):
    """Marks a view that reads the data version in its own query (`read_with`): the
    HTTP-cache middleware then does not look it up before the view, unless a
    conditional request needs it to answer 304 (http_cache.py)."""
    view.reads_data_version = True
    return view


def current():
    """(version, changed_at) of the data, for ETag and Last-Modified."""
    return _read()[0]


def for_request(request):
    """current(), looked up once per request: the page cache
    (harrow_inspection/page_cache.py) has usually read it already for a GET."""
    if getattr(request, "data_version", None) is None:
        request.data_version, request.counts_version = _read()
    return request.data_version


def for_counts(request=None, *, searching=False):
    """The version that a count, a facet or a drop-down of a list is remembered by: the
    data version if the list is a text search (its words decide what it holds), else the
    `counts` version, which text edits, history rows and review decisions leave alone.
    Read with the data version, in the same query, once per request."""
    if request is None:
        version, counts = _read()
    else:
        version = for_request(request)
        counts = getattr(request, "counts_version", None)
        if counts is None:  # the data version was put on the request by hand
            request.data_version, request.counts_version = _read()
            version, counts = request.data_version, request.counts_version
    return version if searching else counts


def count_with_version(sql, params, using="default"):
    """(how many rows `sql` selects, the data version's number, when it was made as a Unix
    time, PostgreSQL's exact numeric), from one snapshot, so that what changes after it can
    be told apart from what the count holds (paging.cached_count). None in place of the
    last two for an empty database (it has no counter row), and for a transaction that has
    written something itself: its count holds writes that may yet be rolled back, and their
    version numbers used again by other writes."""
    counter = version_model()._meta.db_table
    # the SQL is Django's, of a queryset, with its values as parameters
    statement = (
        f"SELECT (SELECT count(*) FROM ({sql}) AS harrow_rows), "  # noqa: S608
        "counter.version, extract(epoch FROM counter.changed_at) "
        f'FROM (SELECT 1) AS one LEFT JOIN "{counter}" AS counter ON counter.id = 1'
    )
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        count, version, changed_at = cursor.fetchone()
    if version is None or has_written(connection):
        return (count, None, None)
    return (count, version, changed_at)


def has_written(connection):
    """Whether the connection's transaction has written something: then what it has just
    counted holds writes that may yet be rolled back, and their version numbers be used
    again by other writes, so the count is not kept with a version to follow from. Asked
    in a statement of its own: inside a count's statement it would keep PostgreSQL from
    counting in parallel (the function is parallel-restricted)."""
    if not connection.in_atomic_block:  # else each statement is a transaction of its own
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
        return cursor.fetchone()[0]


def reads_text(sql):
    """Whether a query (its SQL) reads the findings' words: then what it counts changes
    with them, and it is remembered by the data version rather than the counts version."""
    return "search_vector" in sql or '"text"' in sql


def today():
    """The day as the pages see it."""
    return datetime.date.today()


def changes_by_day(view):
    """Marks a view whose page changes with the day and nothing else (the comparison
    marks a latest inspection once it is over three and a half years old): its ETag and
    its key in the page cache hold the day, so a copy kept yesterday is not today's
    answer. Other pages, the API and the downloads keep theirs until the data changes
    (a mirror polling /findings.csv is told 304, not sent the file again each day)."""
    view.changes_by_day = True
    return view


def day_of(request):
    """The day, for a request to a view marked `changes_by_day`, else ""."""
    if not hasattr(request, "_harrow_day"):
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            view = None
        request._harrow_day = today().isoformat() if getattr(view, "changes_by_day", False) else ""
    return request._harrow_day


def etag(request, *args, **kwargs):
    """Changes when the data changes, and differs between addresses and formats."""
    version, _ = for_request(request)
    # The release too: a deploy changes pages without changing the data; and the day, for
    # a page that changes with it (changes_by_day).
    representation = (
        f"{settings.RELEASE}|{day_of(request)}|{request.get_full_path()}|"
        f"{request.headers.get('Accept', '')}"
    )
    return f"{version}-{hashlib.sha256(representation.encode()).hexdigest()[:16]}"


def last_modified(request, *args, **kwargs):
    return for_request(request)[1]


# What a shared cache (Redis) raises when it is away or too slow: the answer is then
# computed as if nothing were cached, so a cache outage slows pages but breaks none.
try:
    from redis.exceptions import RedisError as _RedisError

    CACHE_ERRORS = (_RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a dependency
    CACHE_ERRORS = (OSError,)

# How long later askers wait for the first one's answer before computing themselves, and
# how long its lock lasts. The lock is left to expire once the answer is stored (one
# round trip fewer on every miss); it is removed at once only if computing failed.
WAIT_SECONDS = 10
COMPUTE_LOCK_SECONDS = WAIT_SECONDS
POLL_SECONDS = 0.02


def cache_get(store, key):
    try:
        return store.get(key)
    except CACHE_ERRORS:
        return None


def cache_set(store, key, value, timeout):
    with contextlib.suppress(CACHE_ERRORS):
        store.set(key, value, timeout)


def _sequence(number):
    """The counter's number, whether of `version` (an int) or of `counts` ("c12")."""
    return int(str(number).lstrip("c"))


# Per thread (gunicorn's threads, the test client: one request per thread at a time):
# whether a request is being answered, whether its answer has used a count remembered
# from before the last change, and what is to be computed once its answer has gone.
_state = threading.local()


def start_request():
    """Called by http_cache.HttpCacheMiddleware as each request comes in: from here until
    the response is finished, an earlier answer may be shown while the current one is
    computed afterwards. (Outside requests, in commands and scripts, everything is
    computed when asked.)"""
    _state.in_request = True
    _state.stale = False
    _state.pending = []


def served_stale():
    """Whether this request used a count of the data as it was a moment ago (while the
    current one is computed in the background): its answer is then neither kept nor
    given an ETag (page_cache.py, http_cache.py)."""
    return getattr(_state, "stale", False)


# One thread per process computes, one after another, what requests showed an earlier
# answer for: started once their responses have gone, so that the computing never slows
# the answer that asked for it, and never more than one aggregate at a time per process.
_queue = queue.SimpleQueue()
_worker = None
_worker_lock = threading.Lock()


_outstanding = 0  # jobs handed over and not yet done


def _work():
    # not in a request: whatever a job's computing asks for is computed, never an earlier
    # answer shown
    global _outstanding
    while True:
        job = _queue.get()
        try:
            _run(*job)
        finally:
            with _worker_lock:
                _outstanding -= 1
            if _queue.empty():
                connections.close_all()  # this thread's own connection, when idle


def _run(full_key, latest_key, lock, compute, version, timeout, script_prefix):
    set_script_prefix(script_prefix)  # addresses made in the background as in the request
    try:
        started = time.time()
        value = compute()
    except Exception:
        logger.exception("computing %s in the background failed", full_key)
        with contextlib.suppress(*CACHE_ERRORS):
            cache.delete(lock)
        return
    cache_set(cache, full_key, value, timeout)
    cache_set(cache, latest_key, (version[0], version[1], started, value), timeout)


def _finish_request(**kwargs):
    """request_finished: hand what this request showed an earlier answer for to the
    computing thread."""
    global _worker, _outstanding
    pending = getattr(_state, "pending", None) or []
    _state.in_request = False
    _state.pending = []
    if not pending:
        return
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="harrow-counts", daemon=True)
            _worker.start()
        _outstanding += len(pending)
    for job in pending:
        _queue.put(job)


request_finished.connect(_finish_request, dispatch_uid="harrow-counts-in-background")


def wait_for_background(seconds=10):
    """For tests and benchmarks: wait until the computing thread has nothing left."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _outstanding == 0:
            return True
        time.sleep(0.02)
    return False


def _may_show(earlier, version):
    """Whether an answer remembered for an earlier version may be shown while the current
    one is computed: only if it is at most COUNTS_STALE_SECONDS behind the data, because
    it was computed that recently, or because it was right until the one change since,
    made that recently."""
    window = settings.COUNTS_STALE_SECONDS
    if window <= 0:
        return False
    number, _, computed_at, _ = earlier
    now = time.time()
    if computed_at >= now - window:
        return True
    return _sequence(number) == _sequence(version[0]) - 1 and now - version[1].timestamp() <= window


def cached(key, compute, version=None, timeout=3600, follow=None):
    """compute(), remembered until the data changes: the key includes the data version
    (`current()`, both the counter and its timestamp, so that a number reused after a
    rolled-back write cannot bring back an old answer), so any write, whatever made it,
    makes every earlier answer unreachable. For
    aggregates over the whole table (facet counts) that cost tens of milliseconds at
    national scale and are asked for again and again with the same filters.

    Computed once per data change: the first asker takes a lock in the cache (an atomic
    ``add``; in Redis, shared by every worker on every machine) and computes; the others
    wait for its answer instead of all running the same aggregate at once.

    Right after a change, an answer of the version before (at most COUNTS_STALE_SECONDS
    behind the data, `_may_show`) is shown while one thread computes the new one in the
    background: the first page after an edit costs what a page with its counts kept does
    (docs/decisions/counts-version.md). That request's answer is marked
    (`served_stale`) so that it is neither kept nor revalidated as the new version's.

    `follow`, if given, is tried first when the answer is not remembered: follow(the
    latest answer remembered, of whichever version) gives the answer of now made from it
    (cheaply, and exactly: paging.cached_count's searches) or None; an answer it gives is
    kept as this version's, as if computed."""
    if version is None:
        version = current()
    number, changed_at = version
    digest = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"harrow:{number}:{changed_at.timestamp()}:{digest}"
    value = cache_get(cache, full_key)
    if value is not None:
        return value
    # the kind of version in the key too: an answer kept by the counts version is never
    # taken for one kept by the data version
    kind = "c" if str(number).startswith("c") else "v"
    latest_key = f"harrow:latest:{kind}:{digest}"
    lock = f"{full_key}:computing"
    may_show_earlier = settings.COUNTS_STALE_SECONDS > 0 and getattr(_state, "in_request", False)
    earlier = None
    if follow is not None or may_show_earlier:
        earlier = cache_get(cache, latest_key)
    if follow is not None and earlier is not None:
        followed = follow(earlier[3])
        if followed is not None:
            cache_set(cache, full_key, followed, timeout)
            cache_set(cache, latest_key, (number, changed_at, time.time(), followed), timeout)
            return followed
    if not may_show_earlier:
        earlier = None
    if earlier is not None and _may_show(earlier, version):
        try:
            if cache.add(lock, 1, COMPUTE_LOCK_SECONDS):
                _state.pending.append(
                    (full_key, latest_key, lock, compute, version, timeout, get_script_prefix())
                )
        except CACHE_ERRORS:
            return compute()
        _state.stale = True
        return earlier[3]
    try:
        first = cache.add(lock, 1, COMPUTE_LOCK_SECONDS)
    except CACHE_ERRORS:
        return compute()
    if not first:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            value = cache_get(cache, full_key)
            if value is not None:
                return value
    started = time.time()
    outer_stale, _state.stale = served_stale(), False
    try:
        value = compute()
    except BaseException:
        if first:
            with contextlib.suppress(CACHE_ERRORS):
                cache.delete(lock)
        raise
    finally:
        inner_stale = served_stale()
        _state.stale = outer_stale or inner_stale
    if inner_stale:
        # made from an answer of the moment before (a facet inside the filter panel): shown
        # once, never kept as this version's; the thread computing the inner answers is
        # already on its way, and the next request makes this one from them
        with contextlib.suppress(CACHE_ERRORS):
            cache.delete(lock)
        return value
    cache_set(cache, full_key, value, timeout)
    if settings.COUNTS_STALE_SECONDS > 0 or follow is not None:
        cache_set(cache, latest_key, (number, changed_at, started, value), timeout)
    return value
