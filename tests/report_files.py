"""The Ofsted report PDFs kept for tests (fixtures/reports/) and the national corpus in
../shared/corpus/, each parsed once per session."""

import functools
from pathlib import Path

from reports.importing import parse_report
from reports.importing.extract import read_pdf

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
HARROW_2020 = REPORTS / "harrow-published-2020-03-16.pdf"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@functools.cache
def parsed(file_name):
    return parse_report(REPORTS / file_name)


@functools.cache
def extracted(file_name):
    """(lines, footnotes, page texts) as the parser gets them."""
    return read_pdf(REPORTS / file_name)


def corpus_file(name):
    """A report of the national corpus (../shared/corpus/, beside the project: never
    copied into it); fails, saying what is missing, where it is not there."""
    path = CORPUS / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the tests read Ofsted's reports from ../shared/corpus/ "
            "beside the project (see ../shared/corpus/README.md and INDEX.csv)"
        )
    return path


@functools.cache
def parsed_corpus(name):
    return parse_report(corpus_file(name))
