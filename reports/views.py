"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from judgements.models import Grade, JudgementArea
from judgements.views import bad_request
from reports import history
from reports.models import GlossaryTerm, Inspection, LocalAuthority
from reports.paging import read_page

HOME_PAGE_SIZE = 50  # inspections a page: a national database holds thousands


def home(request):
    paginator = Paginator(Inspection.objects.for_listing(), HOME_PAGE_SIZE)
    number, error = read_page(request.GET.get("page", "1"), paginator.count, HOME_PAGE_SIZE)
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
    inspection = get_object_or_404(Inspection.objects.for_report_page(), slug=slug)
    previous = inspection.previous()
    changes = None
    if previous:
        before = {j.area_id: j for j in previous.judgements.all()}
        now = {j.area_id: j for j in inspection.judgements.all()}
        areas = {j.area_id: j.area for j in [*before.values(), *now.values()]}
        changes = [
            {"area": area, "before": before.get(pk), "now": now.get(pk)}
            for pk, area in sorted(areas.items(), key=lambda item: item[1].position)
        ]
    return render(
        request,
        "reports/inspection.html",
        {"inspection": inspection, "previous": previous, "changes": changes},
    )


def local_authority_detail(request, slug):
    authority = get_object_or_404(LocalAuthority.objects.with_relations(), slug=slug)
    inspections = list(
        authority.inspections.with_judgements()
        .prefetch_related("earlier_grades__area")
        .order_by("start_date")
    )
    columns, rows = history.grade_history(inspections)
    return render(
        request,
        "reports/local_authority.html",
        {
            "authority": authority,
            "inspections": inspections,
            "columns": columns,
            "rows": rows,
            "chart": history.chart_axes(columns),
        },
    )


SORTS = {"name": "local authority", "date": "inspection date"}


def comparison(request):
    """Every local authority's latest grades: sortable, filterable, with the distribution."""
    latest = (
        Inspection.objects.latest_per_local_authority()
        .select_related("local_authority")
        .with_judgements()
    )
    everyone = history.latest_grades(latest)
    rows = list(everyone)
    used = {slug for row in rows for slug in row.grades}
    areas = [area for area in JudgementArea.objects.order_by("position") if area.slug in used]
    area_slugs = [area.slug for area in areas]

    errors = []
    area_filter = request.GET.get("area", "")
    grade_filter = request.GET.get("grade", "")
    sort = request.GET.get("sort", "name")
    if area_filter and area_filter not in area_slugs:
        errors.append(f"There is no judgement area ‘{area_filter[:40]}’ to filter by.")
    try:
        grade = Grade.from_slug(grade_filter) if grade_filter else None
    except ValueError:
        errors.append(
            f"There is no grade ‘{grade_filter[:40]}’: use {', '.join(g.slug for g in Grade)}."
        )
    if sort not in SORTS and sort not in area_slugs:
        errors.append(f"The table cannot be sorted by ‘{sort[:40]}’.")
    if errors:
        return bad_request(request, {"": errors})

    if grade is not None:
        wanted = [area_filter] if area_filter else area_slugs
        rows = [row for row in rows if any(row.grades.get(slug) == grade for slug in wanted)]
    if sort == "name":
        rows.sort(key=lambda row: row.inspection.local_authority.name)
    elif sort == "date":
        rows.sort(
            key=lambda row: (row.inspection.start_date, row.inspection.local_authority.name),
            reverse=True,
        )
    else:  # best grade first; not judged last
        rows.sort(key=lambda row: (row.grades.get(sort, 99), row.inspection.local_authority.name))
    return render(
        request,
        "reports/comparison.html",
        {
            "rows": rows,
            "areas": areas,
            "sort": sort,
            "grades": list(Grade),
            "area_filter": area_filter,
            "grade_filter": grade_filter,
            "grade": grade,
            "area": next((a for a in areas if a.slug == area_filter), None),
            "distribution": history.distribution(everyone, areas),
        },
    )


def glossary(request):
    return render(request, "reports/glossary.html", {"terms": GlossaryTerm.objects.all()})
