"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

from django.shortcuts import get_object_or_404, render

from reports.models import GlossaryTerm, Inspection


def home(request):
    return render(request, "reports/home.html", {"inspections": Inspection.objects.for_listing()})


def inspection_detail(request, slug):
    inspection = get_object_or_404(Inspection.objects.for_report_page(), slug=slug)
    return render(request, "reports/inspection.html", {"inspection": inspection})


def glossary(request):
    return render(request, "reports/glossary.html", {"terms": GlossaryTerm.objects.all()})
