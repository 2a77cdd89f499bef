"""What every CSV the site sends shares: cells no spreadsheet runs as a formula, the
byte-order mark asked for with ?bom=1, and a streamed response of rows."""

import csv
import datetime

from django.http import JsonResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from harrow_inspection.filters import parameters_of, unknown_parameters

BOM = "\ufeff"  # ?bom=1: docs/decisions/csv-byte-order-mark.md

# A spreadsheet opens a cell that starts with one of these as a formula (or, for tab and
# carriage return, strips it and then does): OWASP's "CSV injection" advice is to start
# such a cell with a single quote, which spreadsheets show as text and do not evaluate.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_NAME_LENGTH = 120  # of a file name before its date


def file_name(parts, today=None):
    """A CSV's name from what it holds (`parts`: slugs and codes, so safe in a file name;
    each once, cut at MAX_NAME_LENGTH) and the day it was made, e.g.
    findings-care-leavers-inadequate-2026-12-02.csv."""
    name = "-".join(dict.fromkeys(parts))[:MAX_NAME_LENGTH].rstrip("-")
    return f"{name}-{(today or datetime.date.today()).isoformat()}.csv"


def neutralised(value):
    """`value` as a CSV cell no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def after(first, lines):
    """`first`, then the lines (the byte-order mark goes before the header row)."""
    yield first
    yield from lines


def query_error(request, filterset_class):
    """A 400 for a parameter the download does not take (its FilterSet's, `bom`, and
    `page`, ignored: the file holds every page), or for a ?bom= that is neither 1 nor 0;
    None when the query is fine."""
    known = parameters_of(filterset_class) | {"bom", "page"}
    if errors := unknown_parameters(request.GET, known, tracking_tags=True):
        return JsonResponse(errors, status=400)
    if request.GET.get("bom", "") in ("", "0", "1"):
        return None
    return JsonResponse({"bom": ["Use bom=1 for a byte-order mark, or leave it out."]}, status=400)


def streamed(request, rows, filename):
    """`rows` (the header first) as a CSV download named `filename`, written as it is
    read, with a byte-order mark first if the request asked for one (?bom=1)."""
    writer = csv.writer(Echo())
    lines = (writer.writerow([neutralised(value) for value in row]) for row in rows)
    response = StreamingHttpResponse(
        after(BOM, lines) if request.GET.get("bom") == "1" else lines,
        content_type="text/csv; charset=utf-8",
    )
    # Django's own header quotes or encodes any name, though ours are slugs and dates
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
