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

import datetime

from django.http import JsonResponse
from django.views.decorators.http import condition, require_safe

from harrow_inspection import data_version, spreadsheets
from judgements.models import OVERALL_AREAS, Grade, JudgementArea
from reports import selectors
from reports.filters import ComparisonFilterSet, latest_inspections
from reports.models import Inspection

BEFORE = [
    "inspection", "url", "local_authority", "ons_code", "dfe_code", "ofsted_urn", "region",
    "framework", "inspection_type", "first_day", "last_day", "dates_as_printed",
    "published", "overall_grade",
]  # fmt: skip
AFTER = ["source_url", "is_synthetic", "attribution"]
# The comparison's filters, in this order, name its file.
NAME_PARTS = ["region", "neighbours_of", "grade", "area", "sort"]


def grade_column(area):
    return "grade_" + area.slug.replace("-", "_")


def rows(request, inspections):
    """The header, then one row per inspection of `inspections`, in their order: three
    queries (the judgement areas, the inspections with their councils, the grades)."""
    areas = list(JudgementArea.objects.order_by("position"))
    yield [*BEFORE, *(grade_column(area) for area in areas), *AFTER]
    inspections = list(inspections.select_related("local_authority"))
    grades = selectors.grades_by_inspection([inspection.pk for inspection in inspections])
    for inspection in inspections:
        authority = inspection.local_authority
        own = grades.get(inspection.pk, {})
        overall = next((own[slug] for slug in OVERALL_AREAS if slug in own), None)
        yield [
            inspection.slug,
            request.build_absolute_uri(inspection.get_absolute_url()),
            authority.name,
            authority.ons_code,
            authority.dfe_code,
            authority.ofsted_urn,
            authority.get_region_display(),
            inspection.framework,
            inspection.inspection_type,
            inspection.start_date.isoformat(),
            inspection.end_date.isoformat(),
            inspection.dates_as_printed,
            inspection.published_on.isoformat() if inspection.published_on else "",
            Grade(overall).label if overall else "",
            *(Grade(own[area.slug]).label if area.slug in own else "" for area in areas),
            inspection.source_url,
            "yes" if inspection.is_synthetic else "no",
            inspection.attribution.strip(),
        ]


def _dated(name):
    return f"{name}-{datetime.date.today().isoformat()}.csv"


@require_safe
@condition(etag_func=data_version.etag, last_modified_func=data_version.last_modified)
def inspections_csv(request):
    """/inspections.csv: every inspection held, by council and then date."""
    if error := spreadsheets.bom_error(request):
        return error
    inspections = Inspection.objects.order_by("local_authority__name", "start_date", "pk")
    return spreadsheets.streamed(request, rows(request, inspections), _dated("inspections"))


@require_safe
@condition(etag_func=data_version.etag, last_modified_func=data_version.last_modified)
def comparison_csv(request):
    """/local-authorities.csv?…: the rows /local-authorities/?… shows, in its order."""
    filterset = ComparisonFilterSet(request.GET, queryset=latest_inspections())
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    if error := spreadsheets.bom_error(request):
        return error
    parts = ["local-authorities"]
    for parameter in NAME_PARTS:
        # the form's own values: slugs, or a sort it knows, so safe in a file name
        if value := filterset.form.cleaned_data.get(parameter):
            parts.append(getattr(value, "slug", value))
    return spreadsheets.streamed(request, rows(request, filterset.qs), _dated("-".join(parts)))
