"""Data loaded once per test run and put back for each test that asks for it.

Loading the Harrow fixture with loaddata costs hundreds of queries (natural keys, and a
history record per object): seconds per test. Instead it is loaded once per run, the
rows it wrote are captured with COPY, the load is rolled back, and each test that asks
for Harrow gets exactly those rows back with one COPY per table: the same ids, the same
history, the same data-version bumps (the COPY fires the triggers). The transactional
tests' emptied database gets the data migrations' rows back the same way.
"""

import io
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

DATA_APPS = ("auth", "contenttypes", "reports", "judgements")


@dataclass(frozen=True)
class Table:
    name: str
    pk: str
    columns: tuple  # every column but generated ones, which the database computes


def data_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
        )
        generated = set(cursor.fetchall())
    tables = {}
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            if model._meta.label == settings.DATA_VERSION_MODEL:
                continue  # the triggers keep it
            name = model._meta.db_table
            columns = tuple(
                field.column
                for field in model._meta.concrete_fields
                if (name, field.column) not in generated
            )
            tables[name] = Table(name, model._meta.pk.column, columns)
    return list(tables.values())


def _copy_out(cursor, table):
    """{primary key text: row line} of `table`, in COPY's text format."""
    buffer = io.StringIO()
    columns = ", ".join(f'"{column}"' for column in table.columns)
    cursor.copy_expert(f'COPY "{table.name}" ({columns}) TO STDOUT', buffer)
    position = table.columns.index(table.pk)
    return {line.split("\t")[position]: line for line in buffer.getvalue().splitlines()}


def capture(load):
    """What `load()` writes, as {table: (pks it replaced, COPY lines)}; rolled back."""
    tables = data_tables()
    with transaction.atomic():
        with connection.cursor() as cursor:
            before = {table: _copy_out(cursor, table) for table in tables}
            load()
            after = {table: _copy_out(cursor, table) for table in tables}
        transaction.set_rollback(True)
    changes = {}
    for table in tables:
        written = {pk: line for pk, line in after[table].items() if before[table].get(pk) != line}
        removed = set(before[table]) - set(after[table])
        if written or removed:
            replaced = sorted((set(written) & set(before[table])) | removed)
            changes[table] = (replaced, list(written.values()))
    return changes


def restore(changes):
    """Write `changes` (from capture) into the database, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (replaced, lines) in changes.items():
            if replaced:
                cursor.execute(
                    f'DELETE FROM "{table.name}" WHERE "{table.pk}"::text = ANY(%s)',  # noqa: S608
                    [replaced],
                )
            if lines:
                columns = ", ".join(f'"{column}"' for column in table.columns)
                cursor.copy_expert(
                    f'COPY "{table.name}" ({columns}) FROM STDIN',
                    io.StringIO("\n".join(lines) + "\n"),
                )
