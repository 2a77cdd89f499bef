from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_save

from judgements.signals import history_for_loaded_records
from reports.management.commands._backup import backed_up_tables

HISTORY_OF_LOADED_RECORDS = "staff.history_for_loaded_records"


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
            post_save.disconnect(dispatch_uid=HISTORY_OF_LOADED_RECORDS)
            try:
                call_command("loaddata", file, verbosity=0)
            finally:
                post_save.connect(
                    history_for_loaded_records, dispatch_uid=HISTORY_OF_LOADED_RECORDS
                )
        self.stdout.write(self.style.SUCCESS(f"Restored the backup from {file}"))
