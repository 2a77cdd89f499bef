"""The Ofsted report PDFs the tests read, from ../shared/reports/ beside the project (they
come from Ofsted and are never committed here), each parsed once per test run."""

import functools
from pathlib import Path

from reports.importing import parse_report
from reports.importing.extract import read_pdf

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
REPORTS = SHARED / "reports"
CORPUS = SHARED / "corpus"
if not REPORTS.is_dir():
    raise FileNotFoundError(
        f"The tests read Ofsted's report PDFs from {REPORTS}, which is missing: put the "
        "shared folder beside the project, or fetch the reports with "
        "`python3 -m harrow_inspection manage fetch_reports`."
    )
HARROW_2020 = REPORTS / "harrow-published-2020-03-16.pdf"


def corpus_file(name):
    """A report of the national corpus (../shared/corpus/), by file name."""
    path = CORPUS / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the tests need ../shared/corpus/.")
    return path


@functools.cache
def parsed(file_name):
    return parse_report(REPORTS / file_name)


@functools.cache
def extracted(file_name):
    """(lines, footnotes, page texts) as the parser gets them."""
    return read_pdf(REPORTS / file_name)
