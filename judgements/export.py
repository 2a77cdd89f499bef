"""CSV of a filtered list of findings: the website's filters, one row per finding."""

import csv
import datetime

from django.http import JsonResponse, StreamingHttpResponse
from django.utils.text import slugify
from django.views.decorators.http import condition, require_safe

from harrow_inspection import data_version
from judgements.filters import FindingFilterSet
from judgements.models import Finding, Grade

COLUMNS = [
    "inspection", "local_authority", "paragraph", "judgement_area", "grade",
    "service_areas", "text", "url", "is_synthetic", "published", "source_url",
    "inspection_date", "overall_grade",
    "unconfirmed_service_areas",
]  # fmt: skip
BOM = "\ufeff"  # ?bom=1: docs/decisions/csv-byte-order-mark.md
MAX_NAME_LENGTH = 120
CHUNK = 2000  # findings fetched at a time: memory stays flat however many match


# A spreadsheet opens a cell that starts with one of these as a formula (or, for tab and
# carriage return, strips it and then does): OWASP's "CSV injection" advice is to start
# such a cell with a single quote, which spreadsheets show as text and do not evaluate.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """`value` as a CSV cell no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def rows(request, findings):
    yield COLUMNS
    for finding in findings.iterator(chunk_size=CHUNK):
        yield [
            finding.inspection.slug,
            finding.inspection.local_authority.name,
            finding.number,
            finding.judgement.area.name,
            finding.judgement.get_grade_display(),
            "; ".join(tag.service_area.name for tag in finding.area_tags),
            finding.text,
            request.build_absolute_uri(finding.get_absolute_url()),
            "yes" if finding.inspection.is_synthetic else "no",
            finding.inspection.published_on.isoformat() if finding.inspection.published_on else "",
            finding.inspection.source_url,
            finding.inspection.start_date.isoformat(),
            Grade(finding.overall_grade).label if finding.overall_grade else "",
            # Of its service areas, those the automatic tagger gave and nobody has checked.
            "; ".join(tag.service_area.name for tag in finding.area_tags if not tag.confirmed),
        ]


# The parts of a file name, in this order, from the filters' values.
NAME_PARTS = [
    ("local_authority", "{}"), ("region", "{}"), ("inspection", "{}"), ("year", "{}"),
    ("service_area", "{}"), ("judgement_area", "{}"), ("overall_grade", "{}"),
    ("judgement_grade", "judgement-{}"), ("latest", "latest"),
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
    name = "-".join(dict.fromkeys(parts))[:MAX_NAME_LENGTH].rstrip("-")
    return f"{name}-{(today or datetime.date.today()).isoformat()}.csv"


@require_safe
@condition(etag_func=data_version.etag, last_modified_func=data_version.last_modified)
def findings_csv(request):
    """/findings.csv?…: the findings that /findings/?… lists, in the same order, all pages."""
    filterset = FindingFilterSet(
        request.GET, queryset=Finding.objects.with_context().with_overall_grade(), request=request
    )
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    bom = request.GET.get("bom", "")
    if bom not in ("", "0", "1"):
        return JsonResponse(
            {"bom": ["Use bom=1 for a byte-order mark, or leave it out."]}, status=400
        )
    writer = csv.writer(Echo())
    lines = (writer.writerow([neutralised(v) for v in row]) for row in rows(request, filterset.qs))
    response = StreamingHttpResponse(
        _after(BOM, lines) if bom == "1" else lines,
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(filterset)}"'
    return response


def _after(first, lines):
    """`first`, then the lines (the byte-order mark goes before the header row)."""
    yield first
    yield from lines
