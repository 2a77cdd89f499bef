"""manage.py import_report PATH... [--dry-run] [--replace] [--published DATE] [--source-url URL]"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

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
        parser.add_argument(
            "--published",
            metavar="YYYY-MM-DD",
            help="The date Ofsted published the report (otherwise from the manifest).",
        )
        parser.add_argument(
            "--source-url",
            metavar="URL",
            default="",
            help="Ofsted's address for the PDF (otherwise from the manifest).",
        )
        add_user_argument(parser)

    def handle(self, *args, paths, dry_run, replace, user, published, source_url, **options):
        if (published or source_url) and len(paths) > 1:
            raise CommandError("--published and --source-url describe one report: give one PATH")
        publication = {"published": read_date(published), "source_url": read_url(source_url)}
        user, failed = user_named(user), []
        for path in paths:
            try:
                result = import_report(
                    path=path, user=user, replace=replace, dry_run=dry_run, **publication
                )
            except (ReportParseError, ImportRefused) as error:
                self.stderr.write(f"{path}: {error}")
                failed.append(path)
                continue
            if dry_run:
                self.stdout.write(summary_of(result.parsed))
            self.stdout.write(result.message)
        if failed:
            raise CommandError(f"{len(failed)} of {len(paths)} reports not imported")


def read_date(text):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--published {text!r} is not a date: use YYYY-MM-DD") from None


def read_url(text):
    if not text:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise CommandError(f"--source-url {text!r} is not an http(s) address") from None
    return text
