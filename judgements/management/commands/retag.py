"""manage.py retag [--inspection SLUG ...]: tag every finding and link every improvement
action again with the current tagger, never touching what staff tagged or checked."""

from django.core.management.base import BaseCommand, CommandError

from judgements.models import EvidenceLink, ServiceAreaTag
from judgements.tagging import TAGGER_VERSION
from reports.models import Inspection


class Command(BaseCommand):
    help = (
        "Re-tag findings and re-link improvement actions with the current tagger. Tags and "
        "links that staff made or confirmed, and findings they marked as having no service "
        "area, are left exactly as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--inspection", action="append", default=[], help="Only this one (repeatable)."
        )
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only inspections tagged by another version of the tagger, or with a "
            "finding or improvement action that has no tag or link (what the run command "
            "does on every start).",
        )

    def handle(self, *args, inspection, stale, **options):
        inspections = Inspection.objects.order_by("slug")
        if stale:
            inspections = inspections.filter(pk__in=ServiceAreaTag.objects.stale_inspections())
        if inspection:
            inspections = inspections.filter(slug__in=inspection)
            unknown = set(inspection) - set(inspections.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"no such inspection: {', '.join(sorted(unknown))}")
        totals = [0, 0, 0, 0]
        for each in inspections:
            for index, value in enumerate(
                [*ServiceAreaTag.objects.retag(inspection=each),
                 *EvidenceLink.objects.relink(inspection=each)]
            ):  # fmt: skip
                totals[index] += value
        self.stdout.write(
            f"Tagger {TAGGER_VERSION}: {inspections.count()} inspections; {totals[0]} findings "
            f"re-tagged, {totals[1]} left as staff tagged or checked them; {totals[2]} "
            f"improvement actions re-linked, {totals[3]} left as staff linked them."
        )
