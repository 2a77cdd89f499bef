"""manage.py generate_synthetic --councils 152 --inspections 22 --seed 1: made-up
inspections for load testing, marked as synthetic everywhere they are shown."""

import time

from django.core.management.base import BaseCommand

from judgements import synthetic


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
        took = time.monotonic() - started
        written = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Wrote synthetic data in {took:.1f} s: {written}.")
