"""Change tracking for HTTP caching: a trigger on every data table bumps DataVersion."""

import datetime
import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import connection

TRACKED_APPS = ("reports", "judgements")
NEVER_CHANGED = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # an empty database

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION harrow_bump_data_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO reports_dataversion (id, version, changed_at)
    VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
    SET version = reports_dataversion.version + 1, changed_at = clock_timestamp();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER harrow_data_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION harrow_bump_data_version()
"""


def tracked_tables():
    from reports.models import DataVersion, ImportLog

    not_data = {DataVersion, ImportLog}  # the counter itself, and a record of attempts
    tables = set()
    for app_label in TRACKED_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if model not in not_data and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install_triggers(**kwargs):
    """post_migrate: (re)install the triggers, so tables added later are tracked too."""
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in tracked_tables():
            if table in existing:
                cursor.execute(TRIGGER_SQL.format(table=connection.ops.quote_name(table)))


def current():
    """(version, changed_at) of the data, for ETag and Last-Modified."""
    from reports.models import DataVersion

    row = DataVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return row or (0, NEVER_CHANGED)


def for_request(request):
    """current(), looked up once per request: the page cache
    (harrow_inspection/page_cache.py) has usually read it already for a GET."""
    if getattr(request, "data_version", None) is None:
        request.data_version = current()
    return request.data_version


def etag(request, *args, **kwargs):
    """Changes when the data changes, and differs between addresses and formats."""
    version, _ = for_request(request)
    representation = f"{request.get_full_path()}|{request.headers.get('Accept', '')}"
    return f"{version}-{hashlib.sha256(representation.encode()).hexdigest()[:16]}"


def last_modified(request, *args, **kwargs):
    return for_request(request)[1]


def cached(key, compute, version=None, timeout=3600):
    """compute(), remembered until the data changes: the key includes the data version
    (`current()`, both the counter and its timestamp, so that a number reused after a
    rolled-back write cannot bring back an old answer), so any write, whatever made it,
    makes every earlier answer unreachable. For
    aggregates over the whole table (facet counts) that cost tens of milliseconds at
    national scale and are asked for again and again with the same filters."""
    if version is None:
        version = current()
    number, changed_at = version
    digest = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"harrow:{number}:{changed_at.timestamp()}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
