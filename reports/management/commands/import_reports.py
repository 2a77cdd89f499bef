"""manage.py import_reports DIR: every PDF in DIR, continuing past failures."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from reports.importing import ReportParseError
from reports.importing.load import ImportRefused, import_report

from ._importing import add_user_argument, user_named


class Command(BaseCommand):
    help = "Import every report PDF in a folder; ends with a table of what happened."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--replace", action="store_true", help="Replace inspections already imported."
        )
        add_user_argument(parser)

    def handle(self, *args, directory, replace, user, **options):
        user = user_named(user)
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{directory} is not a folder")
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf")
        if not paths:
            raise CommandError(f"no PDF files in {directory}")
        rows, started = [], time.monotonic()
        for index, path in enumerate(paths, start=1):
            self.stdout.write(f"[{index}/{len(paths)}] {path.name} ...")
            try:
                result = import_report(path=path, user=user, replace=replace)
                rows.append((path.name, result.outcome, result.message))
            except (ReportParseError, ImportRefused) as error:
                rows.append((path.name, "failed", str(error)))
            except DatabaseError as error:  # rolled back; the other files still go in
                rows.append((path.name, "failed", f"the database refused it: {error}"))
        self.stdout.write(table(rows))
        failures = sum(1 for row in rows if row[1] == "failed")
        self.stdout.write(
            f"{len(rows) - failures} imported or unchanged, {failures} failed, "
            f"in {time.monotonic() - started:.1f} s"
        )
        if failures:
            raise CommandError(f"{failures} of {len(rows)} reports failed")


def table(rows):
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'File':<{width}}  {'Outcome':<9}  Message"]
    lines += [f"{name:<{width}}  {outcome:<9}  {message}" for name, outcome, message in rows]
    return "\n".join(lines)
