"""The Ofsted report PDFs the tests read, from ../shared/reports/ beside the project (they
come from Ofsted and are never committed here), each parsed once per test run."""

import fcntl
import functools
import os
import pickle
import shutil
import tempfile
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


def run_folder():
    """A folder shared by the workers of one parallel run (pytest-xdist gives them one
    run id), or None when the tests run in one process."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return Path(tempfile.gettempdir()) / f"harrow-tests-{run}" if run else None


def remove_run_folder():
    if folder := run_folder():
        shutil.rmtree(folder, ignore_errors=True)


def once_per_run(kind, file_name, compute):
    """compute(), done by one worker of the run and read back by the others: parsing a
    report takes seconds, and every worker needs the same few."""
    folder = run_folder()
    if folder is None:
        return compute()
    folder.mkdir(exist_ok=True)
    result = folder / f"{kind}-{file_name}.pickle"
    with open(folder / f"{kind}-{file_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first
        if result.exists():
            return pickle.loads(result.read_bytes())  # noqa: S301 - written by this run
        value = compute()
        result.write_bytes(pickle.dumps(value))
        return value


@functools.cache
def parsed(file_name):
    return once_per_run("parsed", file_name, lambda: parse_report(REPORTS / file_name))


@functools.cache
def extracted(file_name):
    """(lines, footnotes, page texts) as the parser gets them."""
    return once_per_run("extracted", file_name, lambda: read_pdf(REPORTS / file_name))


@functools.cache
def parsed_corpus(name):
    """A report of the national corpus, parsed once per run."""
    return once_per_run("corpus", name, lambda: parse_report(corpus_file(name)))
