"""A hot query's SQL compiled by the ORM once per process, then run with each request's
values: the query is still written as a queryset (so it follows the models), but the
ORM's compilation (resolving joins, building the SQL: more time than PostgreSQL takes to
answer a one-row lookup) is paid once per release instead of on every request."""

import json
import threading

from django.db import connections


class CompiledValues:
    """`build(**standins)` is a `.values()` queryset; its SQL is made once, with the
    stand-in values in its parameters, and `rows(**values)` runs it with each stand-in
    replaced by the value of the same name, giving dicts as `.values()` would. Columns
    named in `json_columns` hold JSON (or arrays of it) that psycopg2 returns as text.

    A stand-in must be a value no other parameter of the query has (checked)."""

    def __init__(self, build, *, json_columns=(), **standins):
        self._build = build
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
                self._compiled = (queryset.db, sql, list(params), positions, names)
        return self._compiled

    def rows(self, **values):
        db, sql, params, positions, names = self._compiled or self._compile()
        params = [values[positions[i]] if i in positions else p for i, p in enumerate(params)]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
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
