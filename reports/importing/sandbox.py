"""Reading an untrusted PDF in a child process that cannot exceed its budget.

A PDF is a program for a parser: a 300 KB file can hold content streams that inflate to
gigabytes, or page trees that take minutes to walk. So every report file, from the
command line, the batch command or the admin upload alike, is parsed here: in a child
Python process with an address-space limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU),
a wall-clock timeout enforced by this process (the child is killed) and a page count
checked before any page is read. The limits are settings (README, "Security").

The child sends back the ParsedReport as JSON, and this side rebuilds the dataclasses
from their type hints: nothing the child writes is ever unpickled or executed, so even a
child subverted by its file could only send wrong data, which the importer's database
constraints and the staff preview are there to catch.

Run as ``python -m reports.importing.sandbox PATH MAX_PAGES MEMORY_BYTES CPU_SECONDS``.
"""

import dataclasses
import datetime
import json
import os
import resource
import signal
import subprocess
import sys
import types
import typing
from pathlib import Path

from .result import ParsedReport, ReportParseError

ROOT = Path(__file__).resolve().parent.parent.parent
# Exit statuses of the child other than 0 (a JSON answer on standard output).
OUT_OF_MEMORY = 3
TOO_MANY_PAGES = 4

NO_BYTECODE = {"PYTHONDONTWRITEBYTECODE": "1"}

# Defaults, used when Django's settings are not configured (settings.py sets them).
DEFAULT_SECONDS = 20
DEFAULT_MEMORY_MB = 1024
DEFAULT_MAX_PAGES = 150


def limits():
    """(seconds, memory in bytes, pages) from the settings."""
    from django.conf import settings

    return (
        getattr(settings, "REPORT_PARSE_SECONDS", DEFAULT_SECONDS),
        getattr(settings, "REPORT_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB) * 1024 * 1024,
        getattr(settings, "REPORT_MAX_PAGES", DEFAULT_MAX_PAGES),
    )


def parse_report(path):
    """Parse the report at `path` in a sandboxed child; a ParsedReport, or ReportParseError
    saying which limit the file went past (or what the parser found wrong)."""
    seconds, memory, pages = limits()
    path = Path(path).resolve()
    if not path.is_file():
        raise ReportParseError(f"{path.name}: no such file")
    command = [
        sys.executable, "-m", "reports.importing.sandbox",
        str(path), str(pages), str(memory), str(seconds),
    ]  # fmt: skip
    try:
        child = subprocess.run(  # noqa: S603 - our own module, on a path we resolved
            command,
            cwd=ROOT,
            capture_output=True,
            timeout=seconds,
            # Nothing of this process's environment (the secret key, the database's
            # address): the child needs only to find Python and the project.
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **NO_BYTECODE},
            check=False,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed and reaped the child
        raise ReportParseError(
            f"reading this file took longer than {seconds} seconds, the limit for one "
            "report (an Ofsted report takes a few): it is not a report this site "
            "can read"
        ) from None
    # PDFium (the character reader) aborts the process when an allocation fails, rather
    # than raising MemoryError: under the address-space limit, an abort is that limit.
    if child.returncode in (OUT_OF_MEMORY, -signal.SIGABRT):
        raise ReportParseError(
            f"reading this file needed more than {memory // 2**20} MB of memory, the limit "
            "for one report (an Ofsted report needs about 150 MB): it is not a report this "
            "site can read"
        )
    if child.returncode == TOO_MANY_PAGES:
        raise ReportParseError(
            f"this file has more than {pages} pages; an Ofsted report has 10 to 40"
        )
    if child.returncode != 0:  # killed by a signal (e.g. the CPU limit) or crashed
        raise ReportParseError(
            "this file could not be read within the limits for one report "
            f"(it stopped the reader, status {child.returncode})"
        )
    answer = json.loads(child.stdout)
    if "error" in answer:
        raise ReportParseError(answer["error"])
    return decode(ParsedReport, answer["report"])


def decode(kind, value):
    """Rebuild a value of type `kind` (a dataclass, list, tuple, date…) from JSON."""
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{name: decode(hints[name], item) for name, item in value.items()})
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return [decode(arguments[0], item) for item in value]
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(decode(arguments[0], item) for item in value)
        return tuple(
            decode(argument, item) for argument, item in zip(arguments, value, strict=True)
        )
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (kind,) = [argument for argument in arguments if argument is not type(None)][:1]
        return decode(kind, value)
    if kind is datetime.date:
        return datetime.date.fromisoformat(value)
    return value


def encode(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__}")


def count_pages(path, most):
    """The number of pages, counting no further than `most` + 1 (no page is read)."""
    import itertools

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as file:
            document = PDFDocument(PDFParser(file))
            return sum(1 for _ in itertools.islice(PDFPage.create_pages(document), most + 1))
    except Exception:  # a broken file: the parser says what is wrong with it
        return 0


def caused_by_memory(error):
    while error is not None:
        if isinstance(error, MemoryError):
            return True
        error = error.__cause__ or error.__context__
    return False


def child(path, max_pages, memory, seconds):
    """In the child: set the limits first, then read the file, answer as JSON."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        from .parse import parse_report as parse_in_this_process

        if count_pages(path, max_pages) > max_pages:
            return TOO_MANY_PAGES
        parsed = parse_in_this_process(path)
        answer = {"report": dataclasses.asdict(parsed)}
    except MemoryError:
        return OUT_OF_MEMORY
    except ReportParseError as error:
        if caused_by_memory(error):  # the PDF library wraps the MemoryError
            return OUT_OF_MEMORY
        answer = {"error": str(error)}
    except Exception as error:  # a hostile file may break the PDF library itself
        answer = {"error": f"the PDF reader could not read this file ({type(error).__name__})"}
    try:
        sys.stdout.write(json.dumps(answer, default=encode))
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    path, max_pages, memory, seconds = sys.argv[1:5]
    sys.exit(child(path, int(max_pages), int(memory), int(seconds)))
