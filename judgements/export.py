"""CSV of a filtered list of findings: the website's filters, one row per finding."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import JsonResponse
from django.utils.text import slugify
from django.views.decorators.http import condition, require_safe

from harrow_inspection import data_version, spreadsheets
from harrow_inspection.addresses import address_maker
from judgements.filters import FindingFilterSet
from judgements.models import Finding, Grade, ServiceAreaTag
from reports.models import attribution

COLUMNS = [
    "inspection", "local_authority", "paragraph", "judgement_area", "grade",
    "service_areas", "text", "url", "is_synthetic", "published", "source_url",
    "inspection_date", "overall_grade",
    "unconfirmed_service_areas", "attribution",
]  # fmt: skip
CHUNK = 2000  # findings fetched at a time: memory stays flat however many match


def _names(tags):
    """The names of a finding's service areas (`tags`), in the order the site shows them."""
    return ArraySubquery(
        tags.filter(finding=OuterRef("pk"))
        .order_by("service_area__position", "service_area__name")
        .values("service_area__name")
    )


def rows(request, findings):
    """The header, then a row per finding of `findings` (a FindingQuerySet
    with_overall_grade, in its order): read as plain values in one query per CHUNK,
    the service areas as two arrays of names, rather than as model instances with
    their tags prefetched, which cost more than the query (bench/README.md,
    "Deep pages from the far end and the CSV as values")."""
    yield COLUMNS
    values = (
        findings.prefetch_related(None)
        .annotate(
            area_names=_names(ServiceAreaTag.objects.all()),
            # Of its service areas, those the automatic tagger gave and nobody has checked.
            unconfirmed_names=_names(ServiceAreaTag.objects.filter(confirmed=False)),
        )
        .values_list(
            "inspection__slug", "inspection__local_authority__name", "number",
            "judgement__area__name", "judgement__grade", "area_names", "text",
            "inspection__is_synthetic", "inspection__published_on", "inspection__source_url",
            "inspection__start_date", "overall_grade", "unconfirmed_names",
            "inspection__licence", "inspection__copyright_notice",
        )
    )  # fmt: skip
    grades = dict(Grade.choices)
    url = address_maker("judgements:finding", slug="slug-of-the-inspection", number=32109)
    attributions = {}  # the Open Government Licence's line, once per licence and notice
    for (slug, authority, number, area, grade, names, text, synthetic, published, source,
         started, overall, unconfirmed, licence, notice) in values.iterator(CHUNK):  # fmt: skip
        if (licence, notice) not in attributions:
            attributions[licence, notice] = attribution(licence, notice).strip()
        yield [
            slug,
            authority,
            number,
            area,
            grades.get(grade, grade),  # as get_grade_display
            "; ".join(names),
            text,
            request.build_absolute_uri(url(slug=slug, number=number)),
            "yes" if synthetic else "no",
            published.isoformat() if published else "",
            source,
            started.isoformat(),
            Grade(overall).label if overall else "",
            "; ".join(unconfirmed),
            attributions[licence, notice],
        ]


# The parts of a file name, in this order, from the filters' values.
NAME_PARTS = [
    ("local_authority", "{}"), ("region", "{}"), ("inspection", "{}"), ("year", "{}"),
    ("service_area", "{}"), ("judgement_area", "{}"), ("overall_grade", "{}"),
    ("judgement_grade", "judgement-{}"), ("latest", "latest"),
    ("neighbours_of", "{}-and-neighbours"),
]  # fmt: skip


def file_name(filterset, today=None):
    """A name that says what the file holds, e.g.
    findings-care-leavers-inadequate-latest-2026-12-02.csv: the filters' values (slugs,
    so safe in a file name), the search words, and the day it was made."""
    parts = ["findings"]
    for parameter, template in NAME_PARTS:
        parts += [template.format(value) for value in filterset.data.getlist(parameter)]
    if text := slugify(filterset.search_text):
        parts.append(f"search-{text}")
    return spreadsheets.file_name(parts, today)


@require_safe
@condition(etag_func=data_version.etag, last_modified_func=data_version.last_modified)
def findings_csv(request):
    """/findings.csv?…: the findings that /findings/?… lists, in the same order, all pages."""
    if error := spreadsheets.query_error(request, FindingFilterSet):
        return error
    filterset = FindingFilterSet(
        request.GET, queryset=Finding.objects.with_overall_grade(), request=request
    )
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    return spreadsheets.streamed(request, rows(request, filterset.qs), file_name(filterset))
