"""manage.py load_councils [--table FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.council_table import TABLE, load_councils


class Command(BaseCommand):
    help = (
        "Create or update every council of fixtures/councils.csv (codes, region, dates, "
        "predecessors, statistical neighbours, aliases), matched by slug. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--table", type=Path, default=TABLE)

    def handle(self, *args, table, **options):
        with transaction.atomic():
            counts = load_councils(path=table)
        self.stdout.write(
            f"Councils from {table.name}: {counts['created']} added, {counts['updated']} updated."
        )
