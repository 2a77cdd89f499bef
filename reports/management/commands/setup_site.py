"""manage.py setup_site: what the run command does before serving, on every start."""

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from reports.importing import batch
from reports.models import Inspection

HARROW_FIXTURE = "harrow-2020-02"


class Command(BaseCommand):
    help = (
        "Prepare the site: apply migrations, load the councils table, load the Harrow "
        "February 2020 report (the "
        "hand-checked fixture) unless it is already in the database, import every report "
        "PDF under REPORTS_DIR that is new or changed (by SHA-256; staff edits are never "
        "overwritten), and collect static files. Safe to run again: a restart takes "
        "seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Reports imported at once (default: one per CPU).",
        )

    def handle(self, *args, jobs, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("load_councils", verbosity=verbosity)
        if Inspection.objects.filter(slug=HARROW_FIXTURE).exists():
            self.stdout.write(
                f"The Harrow report ({HARROW_FIXTURE}) is already loaded; left as it is."
            )
        else:
            call_command("loaddata", HARROW_FIXTURE, verbosity=verbosity)
        self.import_reports(jobs)
        # Reports imported before the tagger changed are tagged again (never what staff
        # tagged or checked); when nothing changed this finds nothing to do.
        call_command("retag", "--stale", verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("The site is ready."))

    def import_reports(self, jobs):
        folder = settings.REPORTS_DIR
        paths = batch.report_files(folder) if folder.is_dir() else []
        if not paths:
            self.stderr.write(
                f"No report PDFs in {folder}: only the Harrow fixture is served. Set "
                "REPORTS_DIR to the folder of Ofsted's PDFs, or download them with "
                "`manage.py fetch_reports`."
            )
            return
        self.stdout.write(f"Importing what is new in {len(paths)} report PDFs under {folder}")
        started = time.monotonic()
        outcomes = batch.import_files(
            paths, jobs=max(1, jobs), progress=batch.ProgressBar(self.stdout)
        )
        self.stdout.write(batch.summary_table(outcomes))
        self.stdout.write(f"Reports checked in {time.monotonic() - started:.0f} s.")
