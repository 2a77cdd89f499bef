"""manage.py fetch_reports [--manifest FILE] [--into DIR] [--base-url URL] [--council SLUG]

Downloads each report of the manifest (fixtures/reports-manifest.csv) from Ofsted's
address, or from --base-url plus its file name (a mirror, or a test server), into the
reports folder (REPORTS_DIR), and keeps it only if its SHA-256 is the manifest's. A file
already there with the right checksum, in the folder or any folder under it (such as
../shared/reports/ and ../shared/corpus/), is not downloaded again. Standard library only.
"""

import hashlib
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.manifest import MANIFEST, read_manifest

CHUNK = 64 * 1024
MAX_BYTES = 20 * 1024 * 1024  # Ofsted's reports are well under 1 MB
USER_AGENT = "harrow-inspection fetch_reports"


class Refused(Exception):
    """This file was not kept; the message says why."""


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder):
    """{file name: [paths]} of the PDFs in `folder` and every folder under it: the shared
    folder keeps its reports in reports/ and corpus/, a fetched one keeps them flat."""
    found = {}
    for path in sorted(Path(folder).rglob("*.pdf")):
        if path.is_file():
            found.setdefault(path.name, []).append(path)
    return found


class Command(BaseCommand):
    help = (
        "Download the reports of fixtures/reports-manifest.csv into the reports folder "
        "(REPORTS_DIR), checking each file's SHA-256; a file with the wrong checksum is "
        "not kept. Files already there (in the folder or under it) with the right checksum are "
        "skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--manifest", type=Path, default=MANIFEST)
        parser.add_argument("--into", type=Path, default=None, help="Default: REPORTS_DIR.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Download FILE from BASE_URL/FILE instead of Ofsted's address (a mirror).",
        )
        parser.add_argument(
            "--council",
            action="append",
            metavar="SLUG",
            help="Only this council's reports (repeatable).",
        )
        parser.add_argument("--timeout", type=float, default=30, help="Seconds per request.")
        parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)

    def handle(self, *args, manifest, into, base_url, council, timeout, max_bytes, **options):
        if not manifest.exists():
            raise CommandError(f"There is no manifest at {manifest}.")
        try:
            entries = read_manifest(manifest)
        except (ValueError, KeyError) as error:
            raise CommandError(f"{manifest} cannot be read: {error}") from None
        if council:
            entries = [e for e in entries if e.slug in set(council)]
            if not entries:
                raise CommandError(f"The manifest has no reports of {', '.join(council)}.")
        into = Path(into or settings.REPORTS_DIR)
        try:
            into.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {into}: {error}") from None
        self.timeout, self.max_bytes = timeout, max_bytes
        counts, failed = {"downloaded": 0, "already there": 0}, []
        present = files_under(into)
        for entry in entries:
            target = into / entry.file
            if Path(entry.file).name != entry.file or not entry.file.endswith(".pdf"):
                failed.append(f"{entry.file}: not a plain PDF file name")
                continue
            if any(sha256_of_file(path) == entry.sha256 for path in present.get(entry.file, ())):
                counts["already there"] += 1
                continue
            url = self.address(entry, base_url)
            try:
                self.download(url, entry, target)
            except Refused as error:
                failed.append(f"{entry.file}: {error}")
                self.stderr.write(f"{entry.file}: {error}; not kept")
                continue
            counts["downloaded"] += 1
            self.stdout.write(f"{entry.file}: downloaded from {url}")
        self.stdout.write(
            f"{counts['downloaded']} downloaded, {counts['already there']} already there, "
            f"{len(failed)} refused, into {into}"
        )
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(entries)} reports not fetched:\n  " + "\n  ".join(failed)
            )

    def address(self, entry, base_url):
        if base_url:
            return f"{base_url.rstrip('/')}/{urllib.parse.quote(entry.file)}"
        return entry.ofsted_url

    def download(self, url, entry, target):
        """Stream `url` into a temporary file beside `target`; keep it as `target` only if
        its size and SHA-256 are the manifest's."""
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise Refused(f"{url!r} is not an http(s) address")
        limit = min(self.max_bytes, entry.bytes) if entry.bytes else self.max_bytes
        # The scheme is checked above: no file: or custom schemes.
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            digest, size = hashlib.sha256(), 0
            with (
                os.fdopen(handle, "wb") as file,
                urllib.request.urlopen(request, timeout=self.timeout) as response,  # noqa: S310
            ):
                while chunk := response.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise Refused(f"larger than {limit} bytes")
                    digest.update(chunk)
                    file.write(chunk)
            if digest.hexdigest() != entry.sha256:
                raise Refused(
                    f"wrong checksum: SHA-256 {digest.hexdigest()}, the manifest says "
                    f"{entry.sha256}"
                )
            os.replace(temporary, target)
        except urllib.error.HTTPError as error:
            raise Refused(f"{url} answered {error.code} {error.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Refused(f"{url} could not be read: {getattr(error, 'reason', error)}") from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
