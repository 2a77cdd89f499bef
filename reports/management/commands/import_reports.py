"""manage.py import_reports DIR: every PDF under DIR, continuing past failures."""

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.importing import batch

from ._importing import add_user_argument, user_named


class Command(BaseCommand):
    help = (
        "Import every report PDF in a folder (and its subfolders), several at a time; "
        "files already imported, or refused by this version of the importer, are skipped "
        "by their SHA-256. Ends with a table by framework and outcome."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--replace", action="store_true", help="Replace inspections already imported."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Reports imported at once (default: one per CPU).",
        )
        parser.add_argument(
            "--details", action="store_true", help="List every file with its outcome."
        )
        add_user_argument(parser)

    def handle(self, *args, directory, replace, jobs, details, user, **options):
        user = user_named(user)
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{directory} is not a folder")
        paths = batch.report_files(folder)
        if not paths:
            raise CommandError(f"no PDF files in {directory}")
        started = time.monotonic()
        outcomes = batch.import_files(
            paths,
            user=user,
            replace=replace,
            jobs=max(1, jobs),
            progress=batch.ProgressBar(self.stdout),
        )
        if details or len(paths) <= 20:
            self.stdout.write(table(outcomes))
        self.stdout.write(batch.summary_table(outcomes))
        refused = [o for o in outcomes if o.outcome == batch.REFUSED]
        self.stdout.write(
            f"{len(outcomes) - len(refused)} imported or unchanged, {len(refused)} refused, "
            f"in {time.monotonic() - started:.1f} s"
        )
        for outcome in refused:
            self.stdout.write(f"refused: {outcome.name}: {outcome.message}")
        if refused:
            raise CommandError(f"{len(refused)} of {len(outcomes)} reports failed")


def table(outcomes):
    width = max(len(o.name) for o in outcomes)
    lines = [f"{'File':<{width}}  {'Outcome':<23}  Message"]
    lines += [f"{o.name:<{width}}  {o.outcome:<23}  {o.message}" for o in outcomes]
    return "\n".join(lines)
