from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from harrow_inspection.operations import restoring_backup
from reports.management.commands._backup import backed_up_models, backed_up_tables


def holds_data():
    """True when staff or imports have written anything (not just what migrate makes,
    which includes the councils table)."""
    from django.contrib.auth.models import User

    from reports.models import ImportLog, Inspection

    return any(m.objects.exists() for m in (Inspection, ImportLog, User))


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into a migrated database, in one "
        "transaction: either all of it is restored or nothing changes. Refuses a database "
        "that already holds data unless --replace, which replaces that data (and logs "
        "everyone out of the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup file written by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the data already in the database with the backup's.",
        )

    def handle(self, *args, file, replace, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        with transaction.atomic():
            if holds_data() and not replace:
                raise CommandError(
                    "The database already holds data: nothing was changed. "
                    "Run again with --replace to replace it with the backup."
                )
            # Empty every table the backup fills (including what the data migrations
            # made), so that the backup's rows come back with their own primary keys.
            tables = [*backed_up_tables(), "django_session"]
            flush = connection.ops.sql_flush(
                no_style(), tables, reset_sequences=True, allow_cascade=True
            )
            with connection.cursor() as cursor:
                for statement in flush:
                    cursor.execute(statement)
            # The backup holds the history itself: recording the loaded rows as new
            # history ("loaded from a fixture") would add versions that never happened.
            with restoring_backup():
                call_command("loaddata", file, verbosity=0)
            sequences_past_every_id_used(connection)
        self.stdout.write(self.style.SUCCESS(f"Restored the backup from {file}"))


def sequences_past_every_id_used(connection):
    """Set each table's id sequence past the largest id its rows *and its history* hold.

    loaddata sets a sequence to the largest id in the table; an id whose record was
    deleted lives on in its history (and in "Deleted findings"), so handing it out again
    would tie the deleted record's history to a new one.
    """
    with connection.cursor() as cursor:
        for model in backed_up_models():
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField):
                continue  # no sequence behind it
            # Names from the models, never from input.
            sources = [f'SELECT MAX("{pk.column}") FROM "{model._meta.db_table}"']  # noqa: S608
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model"):
                table = history.model._meta.db_table
                sources.append(f'SELECT MAX("{pk.column}") FROM "{table}"')  # noqa: S608
            largest = "GREATEST(" + ", ".join(f"COALESCE(({q}), 0)" for q in sources) + ")"
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST({largest}, 1), "
                f"{largest} > 0)",
                [f'"{model._meta.db_table}"', pk.column],
            )
