"""manage.py generate_synthetic --councils 152 --inspections 22 --seed 1: made-up
inspections for load testing, marked as synthetic everywhere they are shown."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from judgements import synthetic
from judgements.models import Finding, Judgement, ServiceAreaTag
from reports.models import Inspection, LocalAuthority

#: the tables generate_synthetic fills, analysed once it has
ANALYSED = [LocalAuthority, Inspection, Judgement, Finding, ServiceAreaTag]


class Command(BaseCommand):
    help = (
        "Add COUNCILS made-up councils with INSPECTIONS made-up inspections each (about 30 "
        "findings apiece, recombined from the Harrow report's sentences), all marked as "
        "synthetic. The same --seed gives the same data. Remove with remove_synthetic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, required=True)
        parser.add_argument("--inspections", type=int, required=True, help="per council")
        parser.add_argument("--findings-per-inspection", type=int, default=30)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, councils, inspections, findings_per_inspection, seed, **options):
        started = time.monotonic()
        counts = synthetic.generate(
            councils=councils,
            inspections=inspections,
            findings_per_inspection=findings_per_inspection,
            seed=seed,
        )
        # PostgreSQL's statistics still describe the tables as they were, until autovacuum
        # catches up: a page asked for at once was planned for a few dozen findings (an
        # unfiltered facet query over 6,000 was seen running for half an hour in a test).
        tables = [model._meta.db_table for model in ANALYSED]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")  # our own table names
        took = time.monotonic() - started
        written = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Wrote synthetic data in {took:.1f} s: {written}.")
