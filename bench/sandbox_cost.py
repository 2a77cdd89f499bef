"""What reading each report in the sandbox costs: every PDF in ../shared/reports/ parsed
in this process and in the sandboxed child, alternately, timed and compared.

    DATABASE_URL=... .venv/bin/python bench/sandbox_cost.py
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")

import django  # noqa: E402

django.setup()

from reports.importing import ReportParseError, parse, sandbox  # noqa: E402


def timed(function, path):
    started = time.monotonic()
    try:
        result = function(path)
    except ReportParseError as error:
        result = error
    return time.monotonic() - started, result


def main():
    paths = sorted((ROOT.parent / "shared" / "reports").glob("*.pdf"))
    totals = {"in this process": 0.0, "sandboxed": 0.0}
    for path in paths:
        direct, expected = timed(parse.parse_report, path)
        sandboxed, got = timed(sandbox.parse_report, path)
        same = got == expected or str(got) == str(expected)
        totals["in this process"] += direct
        totals["sandboxed"] += sandboxed
        print(
            f"{path.name:55} {direct:5.2f} s  {sandboxed:5.2f} s  {'same' if same else 'DIFFERENT'}"
        )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{len(paths)} reports: {totals['in this process']:.1f} s in this process, "
        f"{totals['sandboxed']:.1f} s sandboxed "
        f"(+{(totals['sandboxed'] - totals['in this process']) / len(paths):.2f} s a report); "
        f"largest sandbox {children:.0f} MB RSS"
    )


if __name__ == "__main__":
    main()
