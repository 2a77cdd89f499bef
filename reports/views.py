"""Public pages about reports. Thin: each asks a named QuerySet method for what it shows."""

import calendar
import datetime

from django.conf import settings
from django.db.models.functions import Lower
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from harrow_inspection import data_version
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from judgements.models import OVERALL_AREAS, Grade, JudgementArea
from reports import grade_tables, selectors
from reports.filters import (
    REGION_CHOICES,
    REGION_CODES,
    ComparisonFilterSet,
    latest_inspections,
    region_slug,
)
from reports.models import Framework, GlossaryTerm, Inspection, LocalAuthority


def home(request):
    paginator = Paginator(selectors.for_listing(), PAGE_SIZE, request=request)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    page = paginator.page(number)
    inspections = list(page.object_list)
    for inspection in inspections:
        inspection.overall = selectors.overall_judgement(inspection)
    return render(
        request,
        "reports/home.html",
        {
            "inspections": inspections,
            "page": page,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
        },
    )


def inspection_detail(request, slug):
    inspection = get_object_or_404(selectors.for_report_page(), slug=slug)
    around = selectors.inspections_around(inspection)
    previous = around["previous_held"]
    changes = grade_tables.changes_between(previous, inspection) if previous else None
    return render(
        request,
        "reports/inspection.html",
        {
            "inspection": inspection,
            "previous": previous,
            "changes": changes,
            **around,
            "across_frameworks": previous is not None
            and previous.framework != inspection.framework,
            # said in the table, not left to be noticed missing (reports from April 2026)
            "no_overall_grade": selectors.gives_no_overall_grade(inspection),
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
            "region_slug": region_slug(authority.region) if authority.region else "",
            "sif_shown": any(c.framework == Framework.SINGLE_INSPECTION for c in columns),
        },
    )


NUMBER_WORDS = {
    0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five",
    6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
}  # fmt: skip


def comparison_national(version):
    """What the comparison shows whatever its filters: which judgements any council's
    latest inspection has, the councils with statistical neighbours (the drop-down), and
    the national distributions, rendered. Computed once per data change (and release,
    since it holds rendered HTML): rendering the charts was a third of the page's time."""

    def compute():
        older_than = probably_superseded_before()
        all_areas = list(JudgementArea.objects.order_by("position"))
        inspections = list(latest_inspections())
        grades = selectors.grades_by_inspection([inspection.pk for inspection in inspections])
        everyone = grade_tables.latest_grades(inspections, grades=grades)
        used = {slug for row in everyone for slug in row.grades}
        areas = [area for area in all_areas if area.slug in used]
        columns = grade_tables.comparison_columns(all_areas, used)
        rows = render_comparison_cells(inspections, columns, grades)
        html = render_to_string(
            "reports/comparison_national.html",
            {
                "grades": list(Grade),
                "distribution": grade_tables.distribution(everyone, areas),
                "no_overall": sum(
                    not any(slug in row.grades for slug in OVERALL_AREAS) for row in everyone
                ),
                "by_year": grade_tables.distribution_by_year(
                    selectors.grade_counts_by_year(), all_areas
                ),
            },
        )
        choices = LocalAuthority.objects.with_neighbours()
        return {
            "columns": columns,
            "rows": rows,
            # plain values: model instances are slow to unpickle from the cache
            "neighbour_choices": list(choices.order_by("name").values("slug", "name")),
            "html": html,
            "held": {
                "inspections": Inspection.objects.count(),
                "councils": len({inspection.local_authority_id for inspection in inspections}),
                "old": sum(row.inspection.start_date < older_than for row in everyone),
            },
        }

    # today too: a latest inspection grows old without any change to the data
    key = f"comparison-national|{settings.RELEASE}|{data_version.today()}"
    return data_version.cached(key, compute, version)


#: Ofsted inspects every council's children's services at least every three years: a
#: latest inspection held that began longer ago than this probably has a successor
#: this database does not hold yet, and the comparison says so beside it.
PROBABLY_SUPERSEDED_AFTER_MONTHS = 42  # three and a half years


def probably_superseded_before():
    """A latest inspection held that began before this day is marked as such: the same
    day of the month 42 calendar months ago (the last day of a shorter month). Months of
    30 days marked Essex's inspection of 26 June 2023 "over 3½ years ago" on 8 December
    2026, two weeks early."""
    today = data_version.today()
    months = today.year * 12 + today.month - 1 - PROBABLY_SUPERSEDED_AFTER_MONTHS
    year, month = divmod(months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(today.day, last_day))


def render_comparison_cells(inspections, columns, grades):
    """{inspection id: the HTML of its row's cells in the comparison}."""
    template = get_template("reports/comparison_row.html")
    older_than = probably_superseded_before()
    return {
        # rendered by the template engine, which escaped it: safe to keep as it is
        row.inspection.pk: mark_safe(  # noqa: S308
            template.render({"row": row, "older_than": older_than}).strip()
        )
        for row in grade_tables.latest_grades(inspections, columns, grades=grades)
    }


def comparison_cells(inspections, national):
    """The cells of each of `inspections`' rows: rendered already, unless an inspection
    came in between reading the data version and listing the inspections."""
    cells = national["rows"]
    new = [inspection for inspection in inspections if inspection.pk not in cells]
    if new:
        grades = selectors.grades_by_inspection([inspection.pk for inspection in new])
        cells = {**cells, **render_comparison_cells(new, national["columns"], grades)}
    return cells


@data_version.changes_by_day  # its "over 3½ years ago" marks
def comparison(request):
    """Every local authority's latest ILACS grades, or a region's, or a council's and its
    statistical neighbours': sortable, filterable, with the national distributions. The
    same FilterSet serves /api/comparison/."""
    filterset = ComparisonFilterSet(request.GET, queryset=latest_inspections())
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    cleaned = filterset.form.cleaned_data
    grade, area = cleaned.get("grade"), cleaned.get("area")
    region, centre = cleaned.get("region"), cleaned.get("neighbours_of")
    national = comparison_national(data_version.for_counts(request))
    columns = national["columns"]
    # Only the choice and the order of councils depend on the filters: each council's
    # cells were rendered once per data change.
    inspections = list(filterset.qs)
    cells = comparison_cells(inspections, national)
    rows = [
        {
            "html": cells[inspection.pk],
            "highlight": centre is not None and inspection.local_authority_id == centre.pk,
        }
        for inspection in inspections
    ]
    view = {"title": "Local authorities compared", "feed": None, "missing": []}
    if centre:
        links = list(centre.neighbour_links.select_related("neighbour").order_by("position"))
        count = NUMBER_WORDS.get(len(links), str(len(links)))
        view["title"] = (
            f"{centre} and its {count} statistical neighbour{'s' if len(links) != 1 else ''}"
            if links
            else f"{centre} (no statistical neighbours listed)"
        )
        view["centre"] = centre
        view["centre_has_neighbours"] = bool(links)
        shown = {inspection.local_authority_id for inspection in inspections}
        if not grade:  # a grade filter leaves councils out on purpose, as a region does
            everyone_there = [centre, *(link.neighbour for link in links)]
            view["missing"] = [
                la
                for la in everyone_there
                if la.pk not in shown and (not region or la.region == REGION_CODES[region])
            ]
    if region:
        label = dict(REGION_CHOICES)[region]
        view["title"] = label if not centre else f"{view['title']}, in {label}"
        if not centre:  # the region's feed is not of the neighbours' inspections
            view["feed"] = reverse("reports:region-feed", kwargs={"region": region})
    # the table's own parameters only: its CSV and API links refuse any other (a
    # tracking tag, a typo), which the page itself ignores
    asked = QueryDict(mutable=True)
    for name in filterset.base_filters:
        if values := request.GET.getlist(name):
            asked.setlist(name, values)
    query = asked.copy()
    query.pop("sort", None)
    with_bom = asked.copy()  # the spreadsheet's byte-order mark, for Excel
    with_bom["bom"] = "1"
    return render(
        request,
        "reports/comparison.html",
        {
            "rows": rows,
            "columns": columns,
            "sort": filterset.sort_by,
            "grades": list(Grade),
            "area_filter": area.slug if area else "",
            "grade_filter": grade or "",
            "grade": Grade.from_slug(grade) if grade else None,
            "area": area,
            "region_filter": region or "",
            "regions": REGION_CHOICES,
            "neighbours_filter": centre.slug if centre else "",
            "neighbour_choices": national["neighbour_choices"],
            "query_without_sort": query.urlencode(),
            "api_url": reverse("api:comparison-list") + (f"?{asked.urlencode()}" if asked else ""),
            "csv_url": f"{reverse('reports:comparison-csv')}?{with_bom.urlencode()}",
            "national": national["html"],
            "held": national["held"],
            **view,
        },
    )


def glossary(request):
    # in the order a reader looks them up: Cafcass before CIN, whatever the capitals
    terms = GlossaryTerm.objects.order_by(Lower("abbreviation"), "abbreviation")
    return render(request, "reports/glossary.html", {"terms": terms})
