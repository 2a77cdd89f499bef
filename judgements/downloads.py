"""The whole database as one CSV file and one JSON file: written once per data change,
then served as files, with their size and SHA-256 checksum.

Streaming the full CSV from the database on every request took 26-36 s at 100,000
findings (71 MB): past gunicorn's 30 s worker timeout, so the worker was killed and the
client got a 200 with part of the file; and while two such downloads ran, both sync
workers were busy and the home page waited 25 s (issue 19). Now:

* `/findings.csv` and `/findings.json` without filters are files in DOWNLOADS_DIR named by
  the data version they hold. The first request after a change writes them (one pass over
  the findings, both formats at once, in one REPEATABLE READ transaction so the file is
  exactly one version of the data; a lock file makes other requests and processes on the
  machine wait for that build rather than start their own); every other request is a
  file sent by gunicorn's sendfile, with Content-Length, so a cut-off download is visible
  as one, and a checksum (`Repr-Digest`, `X-Checksum-SHA256`, and
  `/findings.csv.sha256` in `sha256sum` format).
* The CSV is written by judgements/export.py's own `rows` (its cells by
  harrow_inspection/spreadsheets.py's `neutralised`), so the downloaded file and a
  filtered `/findings.csv?…` are the same format; the JSON is the same rows as objects
  keyed by the CSV's column names.
* A filtered CSV is still streamed from the database (judgements/export.py): it is the
  size of what was asked for.
* `manage.py build_downloads` writes them ahead of the first request (after an import).

A slow client then ties up a thread, not a worker: the run command serves with gunicorn's
threaded workers (docs/decisions/shared-cache.md, "Downloads").
"""

import base64
import csv
import datetime
import fcntl
import hashlib
import io
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from harrow_inspection import data_version, spreadsheets
from harrow_inspection.filters import parameters_of, tracking_tag
from judgements import export
from judgements.filters import LIST_ORDER, FindingFilterSet
from judgements.models import Finding

FORMATS = {
    "csv": ("findings.csv", "text/csv; charset=utf-8"),
    "json": ("findings.json", "application/json"),
}


class Site:
    """What export.rows needs of a request: the site's absolute addresses."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base_url + path


def folder():
    path = Path(settings.DOWNLOADS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


#: Raise when the files' layout changes in a way their columns do not show.
FILE_FORMAT = 1


def _stem(version, base_url):
    """The files' name: the data version, their format (a release that changes their
    columns changes it without changing the data; any other release leaves it, so a
    deploy does not rebuild them, and processes of two releases agree) and the site's
    address."""
    number, changed_at = version
    site = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    layout = hashlib.sha256(f"{FILE_FORMAT}|{','.join(export.COLUMNS)}".encode()).hexdigest()
    return f"findings-{number}-{int(changed_at.timestamp() * 1_000_000)}-{layout[:8]}-{site}"


def _paths(stem):
    return {kind: folder() / f"{stem}.{kind}" for kind in FORMATS}


def _digest_path(path):
    return path.with_name(path.name + ".sha256")


def _write(base_url):
    """Write both files for the data as it is now; return their version's stem."""
    site = Site(base_url)
    outermost = not connection.in_atomic_block  # (tests run inside a transaction)
    if outermost:
        # read once outside the transaction: a prepared statement the server forgot (a
        # DISCARD ALL) is prepared again here, where that can be recovered from, rather
        # than failing inside it and aborting the build
        data_version.current()
    with transaction.atomic():
        if outermost:  # one snapshot for every query below: the file is one version
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = data_version.current()
        stem = _stem(version, base_url)
        paths = _paths(stem)
        if all(path.exists() and _digest_path(path).exists() for path in paths.values()):
            return stem
        partial = {kind: path.with_name(path.name + f".{os.getpid()}.partial")
                   for kind, path in paths.items()}  # fmt: skip
        digests = {kind: hashlib.sha256() for kind in FORMATS}
        findings = Finding.objects.with_overall_grade().order_by(*LIST_ORDER)
        with partial["csv"].open("wb") as csv_file, partial["json"].open("wb") as json_file:
            text = io.StringIO()
            writer = csv.writer(text)

            def emit(kind, file, data):
                digests[kind].update(data)
                file.write(data)

            rows = export.rows(site, findings)
            columns = next(rows)
            writer.writerow(columns)
            emit("json", json_file, b"[")
            separator = b"\n"
            for number, row in enumerate(rows, start=1):
                writer.writerow([spreadsheets.neutralised(value) for value in row])
                emit("json", json_file, separator + json.dumps(
                    dict(zip(columns, row, strict=True)), ensure_ascii=False).encode())  # fmt: skip
                separator = b",\n"
                if number % 2000 == 0:
                    emit("csv", csv_file, text.getvalue().encode())
                    text.seek(0)
                    text.truncate()
            emit("csv", csv_file, text.getvalue().encode())
            emit("json", json_file, b"\n]\n")
    for kind, path in paths.items():
        _digest_path(path).write_text(f"{digests[kind].hexdigest()}  {FORMATS[kind][0]}\n")
        partial[kind].rename(path)  # atomic: a reader sees the whole file or none
    _remove_older(stem)
    return stem


def _remove_older(stem):
    """Files of earlier versions for the same site address (a site answering at two
    addresses keeps one pair of files per address, instead of each request rebuilding
    and removing the other's). A download already sending one keeps its open file."""
    site = stem.rsplit("-", 1)[1]
    for path in folder().glob(f"findings-*-{site}.*"):
        if not path.name.startswith(stem + ".") and not path.name.endswith(".partial"):
            path.unlink(missing_ok=True)


def build(base_url, version=None):
    """The files for `version` (default: now), written unless they are there already;
    one build at a time per machine, the others wait for it and use its files."""
    version = version or data_version.current()
    paths = _paths(_stem(version, base_url))
    if all(path.exists() and _digest_path(path).exists() for path in paths.values()):
        return paths
    with (folder() / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            stem = _write(base_url)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return _paths(stem)


def _base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def _after_bom(file, chunk=64 * 1024):
    """The byte-order mark, then the file, which is closed however the sending ends."""
    try:
        yield spreadsheets.BOM.encode()
        while data := file.read(chunk):
            yield data
    finally:
        file.close()


def _download_name(kind):
    """Named as the filtered CSVs are (export.file_name): what it holds and the day."""
    stem, extension = FORMATS[kind][0].rsplit(".", 1)
    return f"{stem}-all-{datetime.date.today().isoformat()}.{extension}"


def _disposition(kind):
    return f'attachment; filename="{_download_name(kind)}"'


def _serve(request, kind):
    content_type = FORMATS[kind][1]
    version = data_version.for_request(request)
    for _ in range(3):  # a newer build may remove a file between finding and opening it
        path = build(_base_url(request), version)[kind]
        try:
            file = path.open("rb")
            digest = _digest_path(path).read_text().split()[0]
            break
        except FileNotFoundError:
            version = None
    else:  # pragma: no cover - three builds overtaken by three edits
        raise Http404("The download is being rebuilt: please try again.")
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = _disposition(kind)
    response["X-Checksum-SHA256"] = digest
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(digest)).decode()}:"
    return response


def _filtered(request):
    """Whether the query asks for anything but the whole database in the list's order:
    a filter, a search or a sort (?bom=1 does not; a parameter the list does not take is
    refused before this)."""
    asked = parameters_of(FindingFilterSet)  # not `page`: the file holds every page
    return any(key in asked and any(v.strip() for v in request.GET.getlist(key))
               for key in request.GET)  # fmt: skip


@require_safe
def findings_csv(request):
    """/findings.csv: the whole database as a file; with filters, export.findings_csv.
    ?bom=1 sends the same file after a byte-order mark (so its checksum headers, which
    are the file's, are left out)."""
    if error := spreadsheets.query_error(request, FindingFilterSet):
        return error  # a mistyped filter was the whole database, as if filtered
    if _filtered(request):
        return export.findings_csv(request)
    bom = request.GET.get("bom", "")  # "", "0" or "1": query_error refused any other
    response = _serve(request, "csv")
    if bom == "1":
        size = int(response["Content-Length"])
        response = StreamingHttpResponse(
            _after_bom(response.file_to_stream), content_type=response["Content-Type"]
        )
        response["Content-Length"] = size + len(spreadsheets.BOM.encode())
        response["Content-Disposition"] = _disposition("csv")
    return response


@require_safe
def findings_json(request):
    """/findings.json: every finding, as objects keyed by the CSV's column names."""
    if any(not tracking_tag(name) for name in request.GET):  # a filter, or a mistyped one
        return JsonResponse(
            {"detail": "/findings.json is every finding and takes no filters: use "
                       "/api/findings/?… or /findings.csv?… for a filtered list."},
            status=400,
        )  # fmt: skip
    return _serve(request, "json")


@require_safe
def checksum(request, kind):
    """/findings.csv.sha256: the checksum of the file /findings.csv sends now, in
    `sha256sum` format with the name the download is saved under, so that `sha256sum -c`
    checks a download saved by a browser beside it."""
    version = data_version.for_request(request)
    for _ in range(3):  # a newer build may remove the file between finding and reading it
        path = build(_base_url(request), version)[kind]
        try:
            digest = _digest_path(path).read_text().split()[0]
            break
        except FileNotFoundError:
            version = None
    else:  # pragma: no cover - three builds overtaken by three edits
        raise Http404("The download is being rebuilt: please try again.")
    return HttpResponse(
        f"{digest}  {_download_name(kind)}\n", content_type="text/plain; charset=utf-8"
    )
