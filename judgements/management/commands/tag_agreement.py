"""manage.py tag_agreement [--inspection SLUG]: the rulebook against manual tags."""

from django.core.management.base import BaseCommand, CommandError

from judgements.models import Finding, ServiceArea, TaggingRule, TagSource
from judgements.tagging import agreement


class Command(BaseCommand):
    help = "Precision and recall of the automatic tagging rules against manual tags."

    def add_arguments(self, parser):
        parser.add_argument("--inspection", default="harrow-2020-02")

    def handle(self, *args, inspection, **options):
        findings = Finding.objects.filter(inspection__slug=inspection).prefetch_related("tags")
        if not findings.exists():
            raise CommandError(f"no findings for {inspection}: load or import it first")
        tagged_texts = [
            (
                finding.text,
                {t.service_area_id for t in finding.tags.all() if t.source == TagSource.MANUAL},
            )
            for finding in findings
        ]
        areas = ServiceArea.objects.values_list("pk", "name")
        rows = agreement(areas, tagged_texts, TaggingRule.objects.rulebook())
        self.stdout.write(f"{'Service area':<55} manual  auto  both  precision  recall")
        for row in rows:
            self.stdout.write(
                f"{row.service_area[:55]:<55} {row.manual:>6} {row.automatic:>5} {row.both:>5}"
                f"  {percent(row.precision):>9}  {percent(row.recall):>6}"
            )


def percent(value):
    return "-" if value is None else f"{value:.0%}"
