"""Grades as spreadsheets, one row per inspection: every inspection held
(/inspections.csv), or the councils the comparison lists, in its order, with its filters
(/local-authorities.csv?…, the same FilterSet as /local-authorities/ and /api/comparison/).

Every judgement area of every framework is a column of its own (`grade_` and the area's
slug): an inspection's row is empty where it made no such judgement, so a single
inspection framework (SIF) grade never sits in an ILACS column, and ILACS's joint "children
in care and care leavers" judgement (until 2023) stays in its own column
(docs/decisions/public-pages.md, "Grades as a spreadsheet"). `overall_grade` is the
inspection's overall judgement, ILACS's or SIF's, as the findings CSV's is.
"""

from django.http import JsonResponse
from django.views.decorators.http import condition, require_safe

from harrow_inspection import data_version, spreadsheets
from harrow_inspection.addresses import address_maker
from judgements.models import OVERALL_AREAS, Grade, JudgementArea
from reports import selectors
from reports.filters import ComparisonFilterSet, InspectionFilterSet, latest_inspections
from reports.models import Inspection, Region, attribution

BEFORE = [
    "inspection", "url", "local_authority", "ons_code", "dfe_code", "ofsted_urn", "region",
    "framework", "inspection_type", "first_day", "last_day", "dates_as_printed",
    "published", "overall_grade",
]  # fmt: skip
AFTER = ["source_url", "is_synthetic", "attribution"]
# The comparison's filters, in this order, name its file.
NAME_PARTS = ["region", "neighbours_of", "grade", "area", "sort"]


def grade_column(slug):
    return "grade_" + slug.replace("-", "_")


def rows(request, inspections):
    """The header, then one row per inspection of `inspections`, in their order: three
    queries (the judgement areas, the inspections with their councils, the grades), read
    as plain values with each address reversed once (model instances and reverse() were
    most of the time)."""
    areas = [slug for (slug,) in JudgementArea.objects.order_by("position").values_list("slug")]
    yield [*BEFORE, *(grade_column(slug) for slug in areas), *AFTER]
    values = list(
        inspections.values_list(
            "pk", "slug", "local_authority__name", "local_authority__ons_code",
            "local_authority__dfe_code", "local_authority__ofsted_urn",
            "local_authority__region", "framework", "inspection_type", "start_date",
            "end_date", "dates_as_printed", "published_on", "source_url", "is_synthetic",
            "licence", "copyright_notice",
        )
    )  # fmt: skip
    grades = selectors.grades_by_inspection([row[0] for row in values])
    labels = dict(Grade.choices)
    regions = dict(Region.choices)
    url = address_maker("reports:inspection", slug="slug-of-the-inspection")
    for (pk, slug, name, ons, dfe, urn, region, framework, kind, first, last, printed,
         published, source, synthetic, licence, copyright_notice) in values:  # fmt: skip
        own = grades.get(pk, {})
        overall = next((own[area] for area in OVERALL_AREAS if area in own), None)
        yield [
            slug,
            request.build_absolute_uri(url(slug=slug)),
            name,
            ons,
            dfe,
            urn,
            regions.get(region, ""),
            framework,
            kind,
            first.isoformat(),
            last.isoformat(),
            printed,
            published.isoformat() if published else "",
            labels.get(overall, ""),
            *(labels.get(own.get(area), "") for area in areas),
            source,
            "yes" if synthetic else "no",
            attribution(licence, copyright_notice).strip(),
        ]


@require_safe
@condition(etag_func=data_version.etag)  # never 304 by date: the ETag holds the release
def inspections_csv(request):
    """/inspections.csv?…: every inspection held, by council and then date; or a council's
    (`local_authority=harrow`, several allowed), or a framework's (`framework=sif`), as
    /api/inspections/ takes them."""
    if error := spreadsheets.query_error(request, InspectionFilterSet):
        return error
    order = ("local_authority__name", "start_date", "pk")
    filterset = InspectionFilterSet(request.GET, queryset=Inspection.objects.order_by(*order))
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    parts = ["inspections"]
    for parameter in ("local_authority", "framework"):
        parts += filterset.data.getlist(parameter)  # valid: slugs and framework codes
    return spreadsheets.streamed(
        request, rows(request, filterset.qs), spreadsheets.file_name(parts)
    )


@require_safe
@condition(etag_func=data_version.etag)  # never 304 by date: the ETag holds the release
def comparison_csv(request):
    """/local-authorities.csv?…: the rows /local-authorities/?… shows, in its order."""
    if error := spreadsheets.query_error(request, ComparisonFilterSet):
        return error
    filterset = ComparisonFilterSet(request.GET, queryset=latest_inspections())
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    parts = ["local-authorities"]
    for parameter in NAME_PARTS:
        # the form's own values: slugs, or a sort it knows, so safe in a file name
        if value := filterset.form.cleaned_data.get(parameter):
            parts.append(getattr(value, "slug", value))
    return spreadsheets.streamed(
        request, rows(request, filterset.qs), spreadsheets.file_name(parts)
    )
