"""A hot query's SQL compiled by the ORM once per process, then run with each request's
values: the query is still written as a queryset (so it follows the models), but the
ORM's compilation (resolving joins, building the SQL: more time than PostgreSQL takes to
answer a one-row lookup) is paid once per release instead of on every request.

It is also a prepared statement on each database connection (PostgreSQL's PREPARE), so
PostgreSQL plans it once per connection rather than on every request: planning the finding
page's query (five tables, four subqueries) took four times as long as running it.
Connections live for CONN_MAX_AGE, so a statement is prepared about once a minute per
thread. (A pooler in transaction mode, which hands each transaction another server
connection, would not keep prepared statements: `prepare=False` then.)"""

import hashlib
import itertools
import json
import re
import threading
import weakref

from django.db import DatabaseError, connections
from psycopg2 import errors as pg_errors

_PLACEHOLDER = re.compile(r"%%|%s")
# the statements prepared on each server connection (a psycopg2 connection)
_PREPARED = weakref.WeakKeyDictionary()
_PREPARED_LOCK = threading.Lock()


class CompiledValues:
    """`build(**standins)` is a `.values()` queryset; its SQL is made once, with the
    stand-in values in its parameters, and `rows(**values)` runs it with each stand-in
    replaced by the value of the same name, giving dicts as `.values()` would. Columns
    named in `json_columns` hold JSON (or arrays of it) that psycopg2 returns as text.

    A stand-in must be a value no other parameter of the query has (checked)."""

    def __init__(self, build, *, json_columns=(), prepare=True, **standins):
        self._build = build
        self._prepare = prepare
        self._name = None  # the prepared statement's name: made from its SQL (_compile)
        self._standins = standins
        self._json_columns = frozenset(json_columns)
        self._compiled = None
        self._lock = threading.Lock()

    def _compile(self):
        with self._lock:
            if self._compiled is None:
                queryset = self._build(**self._standins)
                query = queryset.query
                sql, params = query.get_compiler(queryset.db).as_sql()
                positions = {}
                for name, standin in self._standins.items():
                    found = [i for i, p in enumerate(params) if p == standin]
                    if len(found) != 1:
                        raise ValueError(f"stand-in {name}={standin!r} is {len(found)} parameters")
                    positions[found[0]] = name
                names = [*query.extra_select, *query.values_select, *query.annotation_select]
                if self._prepare:
                    # one name, one query: whatever the release or the order of imports
                    digest = hashlib.sha256(sql.encode()).hexdigest()[:20]
                    self._name = f"harrow_{digest}"
                self._compiled = (queryset.db, sql, list(params), positions, names)
        return self._compiled

    def _run(self, connection, cursor, sql, params):
        if self._name is None:
            cursor.execute(sql, params)
            return
        with _PREPARED_LOCK:  # one connection per thread, but one dictionary for all
            prepared = _PREPARED.setdefault(connection.connection, set())
        execute = f"EXECUTE {self._name}({', '.join(['%s'] * len(params))})"
        preparing = self._name not in prepared
        if preparing:
            # PREPARE and the first EXECUTE in one round trip; `%%` stays escaped, as the
            # parameters are still to be put in
            numbers = itertools.count(1)
            statement = _PLACEHOLDER.sub(
                lambda m: m[0] if m[0] == "%%" else f"${next(numbers)}", sql
            )
            execute = f"PREPARE {self._name} AS {statement}; {execute}"
        try:
            cursor.execute(execute, params)
        except DatabaseError as error:
            # Django re-raises the driver's errors as its own: the driver's is the cause
            cause = error.__cause__
            if isinstance(cause, pg_errors.DuplicatePreparedStatement):
                prepared.add(self._name)  # prepared already on this server connection
            elif isinstance(cause, pg_errors.InvalidSqlStatementName):
                prepared.discard(self._name)  # the server forgot it (DISCARD ALL)
            else:
                raise
            if connection.in_atomic_block:
                raise  # the transaction is aborted: the next request prepares it again
            self._run(connection, cursor, sql, params)
            return
        if preparing:
            prepared.add(self._name)  # only once PREPARE has run

    def rows(self, **values):
        db, sql, params, positions, names = self._compiled or self._compile()
        params = [values[positions[i]] if i in positions else p for i, p in enumerate(params)]
        connection = connections[db]
        with connection.cursor() as cursor:
            self._run(connection, cursor, sql, params)
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            for name in self._json_columns:
                row[name] = _decoded(row[name])
        return rows


def _decoded(value):
    if isinstance(value, str):
        return json.loads(value)
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value
