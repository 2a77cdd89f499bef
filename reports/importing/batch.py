"""Importing a folder of reports: only what is new or changed, in parallel, with progress.

A file is skipped without being opened past its checksum when its SHA-256 was already
imported (its inspection still there), or already refused by this parser version: so a
second run over the same folder reads every file once, to hash it, and takes seconds. A
file imported by an older parser version is read once more, for its summaries
(`load.reread_summaries`).
Each file is its own transaction (`load.import_report`); one that fails leaves the others.
"""

import ctypes
import multiprocessing
import signal
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connections

from reports.models import ImportLog, ImportOutcome

from . import PARSER_VERSION
from .load import ImportRefused, import_report, sha256_of
from .result import ReportParseError

IMPORTED = "imported"
WITH_ANOMALIES = "imported with anomalies"
REREAD = "re-read"
UNCHANGED = "unchanged"
REFUSED = "refused"
OUTCOMES = [IMPORTED, WITH_ANOMALIES, REREAD, UNCHANGED, REFUSED]
PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass(frozen=True)
class FileOutcome:
    name: str
    outcome: str
    framework: str  # the layout the parser recognised, or "not read"
    message: str


def report_files(folder):
    """Every PDF under `folder` (its subfolders too), in a stable order."""
    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() == ".pdf")


def already_done(paths):
    """{path: FileOutcome} for the files this database has already dealt with: imported
    (and their inspection still there), or refused by the parser as it is now."""
    digests = {path: sha256_of(path) for path in paths}
    logs = ImportLog.objects.filter(sha256__in=set(digests.values())).values_list(
        "sha256", "outcome", "parser_version", "inspection__slug", "framework_version", "message"
    )
    imported, refused, this_version, from_the_file = {}, {}, set(), set()
    for sha256, outcome, parser_version, slug, framework, message in logs:
        if parser_version == PARSER_VERSION:
            this_version.add(sha256)
        if outcome in (ImportOutcome.IMPORTED, ImportOutcome.REPLACED) and slug:
            imported[sha256] = (slug, framework)
            from_the_file.add(sha256)
        elif outcome == ImportOutcome.REFUSED and slug:
            # Its inspection is in the database from another source (the hand-checked
            # fixture): kept as it is for as long as that inspection is there.
            imported[sha256] = (slug, framework)
        elif outcome == ImportOutcome.FAILED and parser_version == PARSER_VERSION:
            refused[sha256] = (framework, message)
    done = {}
    for path, digest in digests.items():
        if digest in from_the_file and digest not in this_version:
            continue  # imported by an older parser: import_report re-reads its summaries
        if digest in imported:
            slug, framework = imported[digest]
            done[path] = FileOutcome(
                path.name, UNCHANGED, framework or "ilacs", f"{slug} already imported"
            )
        elif digest in refused:
            framework, message = refused[digest]
            done[path] = FileOutcome(
                path.name, REFUSED, framework or "not read", f"(not read again) {message}"
            )
    return done


def import_one(path, user_id=None, replace=False):
    """Import one file; its outcome, whatever happens (run in a worker process)."""
    path = Path(path)
    user = None
    if user_id is not None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=user_id)
    try:
        result = import_report(path=path, user=user, replace=replace)
    except (ReportParseError, ImportRefused) as error:
        return FileOutcome(path.name, REFUSED, "not read", str(error))
    except DatabaseError as error:  # rolled back; the other files still go in
        return FileOutcome(path.name, REFUSED, "not read", f"the database refused it: {error}")
    framework = getattr(result.parsed, "framework_version", "") or "ilacs"
    if result.outcome == ImportOutcome.UNCHANGED:
        return FileOutcome(path.name, UNCHANGED, framework, result.message)
    if result.outcome == ImportOutcome.REREAD:
        return FileOutcome(path.name, REREAD, framework, result.message)
    anomalies = getattr(result.parsed, "anomalies", None)
    outcome = WITH_ANOMALIES if anomalies else IMPORTED
    message = result.message + (f"; anomalies: {'; '.join(anomalies)}" if anomalies else "")
    return FileOutcome(path.name, outcome, framework, message)


def _worker_start():
    connections.close_all()  # never share the parent's connection across a fork
    _end_with_the_parent()


def _end_with_the_parent():
    """Ask Linux to end this worker when the command that started it ends (Ctrl+C, a
    timeout, a crash), rather than leave it importing on its own."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass


def import_files(paths, *, user=None, replace=False, jobs=1, progress=None):
    """Import `paths` (new or changed ones only, unless `replace`), `jobs` at a time.
    `progress(done, total, outcome)` is called after each file. Returns the outcomes in
    the order of `paths`."""
    paths = list(paths)
    done = {} if replace else already_done(paths)
    outcomes = dict(done)
    todo = [path for path in paths if path not in done]
    total, finished = len(paths), len(done)
    if progress and done:
        progress(finished, total, None)
    user_id = user.pk if user else None
    if jobs <= 1 or len(todo) <= 1:
        for path in todo:
            outcomes[path] = import_one(path, user_id, replace)
            finished += 1
            if progress:
                progress(finished, total, outcomes[path])
        return [outcomes[path] for path in paths]
    connections.close_all()
    context = multiprocessing.get_context("fork")  # workers inherit the set-up Django
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start) as pool:
        futures = {pool.submit(import_one, path, user_id, replace): path for path in todo}
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            finished += 1
            if progress:
                progress(finished, total, outcomes[futures[future]])
    return [outcomes[path] for path in paths]


def summary_table(outcomes):
    """The import report: one row per framework, a column per outcome, and a total."""
    counts = Counter((o.framework, o.outcome) for o in outcomes)
    frameworks = sorted({o.framework for o in outcomes})
    width = max([len("Framework"), *(len(f) for f in frameworks)])
    header = f"{'Framework':<{width}}  " + "  ".join(f"{o:>{len(o)}}" for o in OUTCOMES)
    lines = [header + "  total"]
    for framework in [*frameworks, "all"]:
        cells = [
            sum(n for (f, o), n in counts.items() if o == outcome and framework in (f, "all"))
            for outcome in OUTCOMES
        ]
        lines.append(
            f"{framework:<{width}}  "
            + "  ".join(f"{n:>{len(o)}}" for n, o in zip(cells, OUTCOMES, strict=True))
            + f"  {sum(cells):>5}"
        )
    return "\n".join(lines)


class ProgressBar:
    """A one-line progress bar on a terminal; a line per file elsewhere (logs, CI)."""

    def __init__(self, stream, width=30):
        self.stream, self.width = stream, width
        self.started = time.monotonic()
        self.tty = getattr(stream, "isatty", lambda: False)()

    def __call__(self, done, total, outcome):
        elapsed = time.monotonic() - self.started
        if self.tty:
            filled = self.width * done // max(total, 1)
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {elapsed:.0f} s",
                ending="" if done < total else "\n",
            )
            self.stream.flush()
        elif outcome is None:
            self.stream.write(f"[{done}/{total}] already in the database or refused before")
        else:
            self.stream.write(f"[{done}/{total}] {outcome.name}: {outcome.outcome}")
