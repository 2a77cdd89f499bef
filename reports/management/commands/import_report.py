"""manage.py import_report PATH... [--dry-run] [--replace]"""

from django.core.management.base import BaseCommand, CommandError

from reports.importing import ReportParseError
from reports.importing.load import ImportRefused, import_report, summary_of

from ._importing import add_user_argument, user_named


class Command(BaseCommand):
    help = "Import Ofsted ILACS inspection reports (PDF) into the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what was read; write nothing."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Replace an inspection already imported."
        )
        add_user_argument(parser)

    def handle(self, *args, paths, dry_run, replace, user, **options):
        user, failed = user_named(user), []
        for path in paths:
            try:
                result = import_report(path=path, user=user, replace=replace, dry_run=dry_run)
            except (ReportParseError, ImportRefused) as error:
                self.stderr.write(f"{path}: {error}")
                failed.append(path)
                continue
            if dry_run:
                self.stdout.write(summary_of(result.parsed))
            self.stdout.write(result.message)
        if failed:
            raise CommandError(f"{len(failed)} of {len(paths)} reports not imported")
