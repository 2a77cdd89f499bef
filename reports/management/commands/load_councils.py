"""manage.py load_councils [--table FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.council_table import TABLE, load_councils, read_table
from reports.models import LocalAuthority


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
        # Councils an older importer made from a name printed another way ("Bedford
        # Borough"): left as they are, with their reports, for staff to merge.
        slugs = {row["slug"] for row in read_table(table)}
        others = (
            LocalAuthority.objects.exclude(slug__in=slugs)
            .exclude(slug__startswith="synthetic-")
            .filter(inspections__isnull=False)
            .distinct()
        )
        for other in others:
            self.stdout.write(
                f"Not in the table: {other.slug} ({other.name}), which has reports; "
                "move them to the right council in the admin."
            )
