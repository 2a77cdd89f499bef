"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from reports.models import GlossaryTerm, Inspection
from reports.paging import read_page

HOME_PAGE_SIZE = 50  # inspections a page: a national database holds thousands


def home(request):
    paginator = Paginator(Inspection.objects.for_listing(), HOME_PAGE_SIZE)
    number, error = read_page(request.GET.get("page", "1"), paginator.count, HOME_PAGE_SIZE)
    if error:
        return render(
            request, "judgements/bad_request.html", {"errors": {"page": [error]}}, status=400
        )
    page = paginator.page(number)
    return render(
        request,
        "reports/home.html",
        {
            "inspections": page.object_list,
            "page": page,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
        },
    )


def inspection_detail(request, slug):
    inspection = get_object_or_404(Inspection.objects.for_report_page(), slug=slug)
    return render(request, "reports/inspection.html", {"inspection": inspection})


def glossary(request):
    return render(request, "reports/glossary.html", {"terms": GlossaryTerm.objects.all()})
