"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

from django.shortcuts import get_object_or_404, render

from harrow_inspection import data_version
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from judgements.models import Grade, JudgementArea
from reports import grade_tables, selectors
from reports.models import GlossaryTerm, Inspection, LocalAuthority


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
    authority = get_object_or_404(LocalAuthority, slug=slug)
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
        },
    )


SORTS = {"name": "local authority", "date": "inspection date"}


def comparison(request):
    """Every local authority's latest grades: sortable, filterable, with the distribution."""
    latest = selectors.for_listing(Inspection.objects.latest_per_local_authority())
    everyone = grade_tables.latest_grades(latest)
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
            "distribution": grade_tables.distribution(everyone, areas),
        },
    )


def glossary(request):
    return render(request, "reports/glossary.html", {"terms": GlossaryTerm.objects.all()})
