"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

from django.shortcuts import get_object_or_404, render

from harrow_inspection import data_version
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from judgements.models import Grade, JudgementArea
from reports import grade_tables, selectors
from reports.filters import ComparisonFilterSet, latest_inspections
from reports.models import Framework, GlossaryTerm, LocalAuthority


def home(request):
    version = data_version.for_request(request)
    paginator = Paginator(selectors.for_listing(), PAGE_SIZE, version=version)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
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
    inspection = get_object_or_404(selectors.for_report_page(), slug=slug)
    previous = selectors.previous_inspection(inspection)
    changes = grade_tables.changes_between(previous, inspection) if previous else None
    return render(
        request,
        "reports/inspection.html",
        {
            "inspection": inspection,
            "previous": previous,
            "changes": changes,
            "across_frameworks": previous is not None
            and previous.framework != inspection.framework,
        },
    )


def local_authority_detail(request, slug):
    authority = get_object_or_404(LocalAuthority.objects.with_relations(), slug=slug)
    inspections = list(
        selectors.with_judgements(authority.inspections.all())
        .prefetch_related("earlier_grades__area")
        .order_by("start_date")
    )
    columns, rows = grade_tables.grade_history(inspections)
    return render(
        request,
        "reports/local_authority.html",
        {
            "authority": authority,
            "inspections": inspections,
            "columns": columns,
            "rows": rows,
            "chart": grade_tables.chart_axes(columns),
            "sif_shown": any(c.framework == Framework.SINGLE_INSPECTION for c in columns),
        },
    )


def comparison(request):
    """Every local authority's latest grades: sortable, filterable, with the distribution.
    The same FilterSet serves /api/comparison/."""
    filterset = ComparisonFilterSet(request.GET, queryset=latest_inspections())
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    everyone = grade_tables.latest_grades(selectors.for_listing(latest_inspections()))
    used = {slug for row in everyone for slug in row.grades}
    areas = [area for area in JudgementArea.objects.order_by("position") if area.slug in used]
    rows = grade_tables.latest_grades(selectors.with_judgements(filterset.qs))
    cleaned = filterset.form.cleaned_data
    grade, area = cleaned.get("grade"), cleaned.get("area")
    return render(
        request,
        "reports/comparison.html",
        {
            "rows": rows,
            "areas": areas,
            "sort": filterset.sort_by,
            "grades": list(Grade),
            "area_filter": area.slug if area else "",
            "grade_filter": grade or "",
            "grade": Grade.from_slug(grade) if grade else None,
            "area": area,
            "distribution": grade_tables.distribution(everyone, areas),
        },
    )


def glossary(request):
    return render(request, "reports/glossary.html", {"terms": GlossaryTerm.objects.all()})
