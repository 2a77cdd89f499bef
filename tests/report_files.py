"""The Ofsted report PDFs kept for tests (fixtures/reports/), each parsed once per session."""

import functools
from pathlib import Path

from reports.importing import parse_report
from reports.importing.extract import read_pdf

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
HARROW_2020 = REPORTS / "harrow-published-2020-03-16.pdf"


@functools.cache
def parsed(file_name):
    return parse_report(REPORTS / file_name)


@functools.cache
def extracted(file_name):
    """(lines, footnotes, page texts) as the parser gets them."""
    return read_pdf(REPORTS / file_name)
