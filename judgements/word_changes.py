"""A text search's count after a paragraph's words are edited, without counting again.

A search's count is remembered by the data version (harrow_inspection/paging.py,
`cached_count`), so every edit of any paragraph's words left each search to be counted
again: at 1M synthetic findings "children" matches 813,000 of them, about a second to
count, and until it is counted the count shown is of a moment before, so a deep page of
the search is read forward over every match before it (2-3 s; bench/README.md). Yet one
edit changes whether at most one paragraph matches.

So a database trigger (migration 0022) logs each paragraph's search vector as it was
before a write changed its words (`WordsChange`), with the data version of that write.
A count remembered with the version it was made at (in the same snapshot) is then
brought up to date, in one statement, by the paragraphs whose words changed since: the
old count, less those of them that matched with their words as they were, plus those
that match now. That is exact if nothing else that the count reads changed meanwhile,
which the counter row says table by table (data_version.py, `TABLES_BUMP_SQL`: words,
history rows and review decisions stamp no table): otherwise, or if the log no longer
reaches back that far, or too many paragraphs changed, the search is counted again as
before.
(docs/decisions/counts-version.md, "Searches follow edits of the words".)
"""

from django.apps import apps
from django.conf import settings

# At most this many paragraphs changed since the count was made: beyond it (a bulk
# rewrite of the words) counting again is as cheap.
MOST_CHANGED = 1000
# The trigger forgets a change after a day; a count older than this is counted again.
REACH_SECONDS = 23 * 3600

LOG_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION harrow_log_word_changes() RETURNS trigger AS $$
BEGIN
    INSERT INTO "{log}" (version, finding_id, old_vector, logged_at)
    SELECT counter.version, before.id, before.search_vector, clock_timestamp()
    FROM harrow_words_before AS before
    JOIN harrow_words_after AS after ON after.id = before.id
    CROSS JOIN (SELECT version FROM "{counter}" WHERE id = 1) AS counter
    WHERE before.search_vector IS DISTINCT FROM after.search_vector;
    DELETE FROM "{log}" WHERE logged_at < clock_timestamp() - interval '1 day';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

# Triggers of one event fire in the order of their names: this one after
# harrow_finding_updated (data_version.py), which has bumped the version by then, so a
# change is logged with the version of the write that made it
# (tests/test_word_changes.py).
LOG_TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER harrow_finding_words_logged
AFTER UPDATE ON "{findings}"
REFERENCING OLD TABLE AS harrow_words_before NEW TABLE AS harrow_words_after
FOR EACH STATEMENT EXECUTE FUNCTION harrow_log_word_changes()
"""


def _tables():
    log = apps.get_model("judgements", "WordsChange")._meta.db_table
    findings = apps.get_model("judgements", "Finding")._meta.db_table
    counter = apps.get_model(settings.DATA_VERSION_MODEL)._meta.db_table
    return log, findings, counter


def install_sql(log, findings, counter):
    """The trigger function and the trigger (migration 0022)."""
    return (
        LOG_FUNCTION_SQL.format(log=log, counter=counter)
        + ";\n"
        + (LOG_TRIGGER_SQL.format(findings=findings))
    )


FOLLOW_SQL = """
WITH harrow_counter AS (
    SELECT version, extract(epoch FROM changed_at) AS changed_at, tables
    FROM "{counter}" WHERE id = 1
), harrow_changed AS (
    SELECT DISTINCT ON (words.finding_id) words.finding_id, words.old_vector
    FROM "{log}" AS words, harrow_counter
    WHERE words.version > %s AND words.version <= harrow_counter.version
    ORDER BY words.finding_id, words.version
), harrow_usable AS (
    SELECT count(*) <= {most} AS usable FROM harrow_changed
)
SELECT harrow_counter.version, harrow_counter.changed_at,
    pg_current_xact_id_if_assigned() IS NULL,
    ARRAY(SELECT key FROM jsonb_each(harrow_counter.tables)
          -- a stamp in any other form than [version, time] counts as a change since
          WHERE CASE WHEN jsonb_typeof(value) = 'array'
                          AND jsonb_typeof(value -> 0) = 'number'
                          AND jsonb_typeof(value -> 1) = 'number'
                     THEN (value ->> 0)::numeric > %s OR (value ->> 1)::numeric > %s
                     ELSE true END),
    (SELECT usable FROM harrow_usable),
    ARRAY(SELECT harrow_then.id FROM ({then}) AS harrow_then (id)
          WHERE (SELECT usable FROM harrow_usable)
            AND harrow_then.id IN (SELECT finding_id FROM harrow_changed)),
    ARRAY(SELECT harrow_now.id FROM ({now}) AS harrow_now (id)
          WHERE (SELECT usable FROM harrow_usable)
            AND harrow_now.id IN (SELECT finding_id FROM harrow_changed)),
    extract(epoch FROM clock_timestamp())
FROM harrow_counter
"""


def _since(sql, params, base, base_changed_at, connection):
    """What has happened since data version `base` (made at `base_changed_at`, a Unix
    time) to the findings that `sql` (with `params`, one column: their ids) selects, from
    one snapshot: (version, changed_at, tables stamped since, then, now), `then` the ids
    of the paragraphs whose words changed since that were selected with their words as
    they were, `now` those of them selected now. None if that cannot be known exactly:
    the SQL reads the words some other way than through the findings' search vector, too
    many paragraphs' words changed, the log may have forgotten some of them, or this
    transaction has written something itself."""
    log, findings, counter = _tables()
    vector = f'"{findings}"."search_vector"'
    # the words read only through the findings table's own search vector: anything else
    # (an alias, the text itself) would be read as it is now
    if sql.count('"search_vector"') != sql.count(vector) or f'"{findings}"."text"' in sql:
        return None
    as_it_was = (  # table names of the models
        f"COALESCE((SELECT harrow_changed.old_vector FROM harrow_changed "  # noqa: S608
        f'WHERE harrow_changed.finding_id = "{findings}"."id"), {vector})'
    )
    statement = FOLLOW_SQL.format(
        counter=counter,
        log=log,
        most=MOST_CHANGED,
        then=sql.replace(vector, as_it_was),
        now=sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [base, base, base_changed_at, *params, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    version, changed_at, clean, changed_tables, usable, then, now, clock = row
    too_old = float(clock) - float(base_changed_at) > REACH_SECONDS
    # a transaction that has written sees its own changes, which may yet be rolled back
    if not clean or not usable or too_old or version < base:
        return None
    return version, changed_at, changed_tables, then, now


def follow(sql, params, earlier, connection):
    """The count of the findings that `sql` (with `params`) selects, now, from `earlier`:
    (count, data version, when it was made) as `data_version.count_with_version` gives
    them, from one snapshot. The same three for now, or None if the count cannot be known
    exactly without counting again: a table the count reads has had a write since that
    can change a count (a tag, a grade, a paragraph added or taken away: the counter's
    `tables`, by version or by time; an emptied or restored database writes every table),
    or `_since` cannot tell."""
    count, base, base_changed_at = earlier
    if base is None:
        return None
    since = _since(sql, params, base, base_changed_at, connection)
    if since is None:
        return None
    version, changed_at, changed_tables, then, now = since
    if any(f'"{table}"' in sql for table in changed_tables):
        return None
    return (count - len(then) + len(now), version, changed_at)


def same_matches(sql, params, base, connection):
    """(data version, when it was made) of now if the findings that `sql` (with `params`,
    one column: their ids) selects are exactly those it selected at `base` (a data version
    and its Unix time, read in the same snapshot as whatever was counted over them), else
    None. So an answer made from those findings alone (a search's facets:
    judgements/facets.py) is still exact: no table has had a write since that can change a
    count (any table at all, so that whatever else the answer reads is as it was), and no
    paragraph whose words changed since has come into or gone out of the selection. (A
    paragraph that came in and went out again is as it was: the words compared are those
    at `base` and those of now.)"""
    if base is None:
        return None
    since = _since(sql, params, *base, connection)
    if since is None:
        return None
    version, changed_at, changed_tables, then, now = since
    if changed_tables or set(then) != set(now):
        return None
    return version, changed_at
