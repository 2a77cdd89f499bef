"""manage.py tag_agreement [--inspection SLUG]: the rulebook against manual tags."""

from django.core.management.base import BaseCommand, CommandError

from judgements.models import Finding
from reports.importing.tagging import Agreement, agreement


class Command(BaseCommand):
    help = "Precision and recall of the automatic tagging rules against manual tags."

    def add_arguments(self, parser):
        parser.add_argument("--inspection", default="harrow-2020-02")

    def handle(self, *args, inspection, **options):
        findings = Finding.objects.filter(inspection__slug=inspection)
        if not findings.exists():
            raise CommandError(f"no findings for {inspection}: load or import it first")
        self.stdout.write(f"{'Service area':<55} manual  auto  both  precision  recall")
        for row in agreement(findings):
            self.stdout.write(
                f"{row.service_area[:55]:<55} {row.manual:>6} {row.automatic:>5} {row.both:>5}"
                f"  {percent(row.precision):>9}  {percent(row.recall):>6}"
            )
        total = agreement_totals(agreement(findings))
        self.stdout.write(
            f"{'All service areas':<55} {total.manual:>6} {total.automatic:>5} {total.both:>5}"
            f"  {percent(total.precision):>9}  {percent(total.recall):>6}"
        )


def agreement_totals(rows):
    return Agreement(
        "All",
        sum(r.manual for r in rows),
        sum(r.automatic for r in rows),
        sum(r.both for r in rows),
    )


def percent(value):
    return "-" if value is None else f"{value:.0%}"
