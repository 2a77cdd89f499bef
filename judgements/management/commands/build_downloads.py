"""Write /findings.csv and /findings.json for the data as it is now (judgements/downloads.py),
so that the first visitor after an import does not wait for them."""

import time

from django.core.management.base import BaseCommand

from judgements import downloads


class Command(BaseCommand):
    help = "Write the whole-database downloads (/findings.csv, /findings.json) now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="the site's address as visitors use it, e.g. https://inspections.example.org "
            "(the files' finding addresses start with it)",
        )

    def handle(self, *args, base_url, **options):
        started = time.monotonic()
        paths = downloads.build(base_url)
        sizes = ", ".join(f"{path.name} {path.stat().st_size:,} bytes" for path in paths.values())
        self.stdout.write(f"Wrote {sizes} in {time.monotonic() - started:.1f} s.")
