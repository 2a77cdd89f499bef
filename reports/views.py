"""Public pages. Thin: each one asks a named QuerySet method for what it shows."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from judgements.models import Finding, ImprovementAction, Judgement
from reports.models import Inspection


def _judgements():
    return Prefetch("judgements", queryset=Judgement.objects.select_related("area"))


def home(request):
    inspections = Inspection.objects.with_local_authority().prefetch_related(_judgements())
    return render(request, "reports/home.html", {"inspections": inspections})


def inspection_detail(request, slug):
    inspection = get_object_or_404(
        Inspection.objects.with_local_authority().prefetch_related(
            _judgements(),
            "summary_paragraphs",
            Prefetch(
                "improvement_actions",
                queryset=ImprovementAction.objects.select_related("plan").prefetch_related(
                    Prefetch("evidence", queryset=Finding.objects.select_related("inspection"))
                ),
            ),
            Prefetch("findings", queryset=Finding.objects.with_context()),
        ),
        slug=slug,
    )
    return render(request, "reports/inspection.html", {"inspection": inspection})


def finding_detail(request, slug, number):
    finding = get_object_or_404(
        Finding.objects.with_context().prefetch_related("improvement_actions"),
        inspection__slug=slug,
        number=number,
    )
    return render(request, "reports/finding.html", {"finding": finding})
