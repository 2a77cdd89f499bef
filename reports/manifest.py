"""fixtures/reports-manifest.csv: what a report's PDF does not print about itself.

One row per report file Ofsted publishes that the project knows of: the council's slug,
the file name, Ofsted's URN for the council, the publication date, Ofsted's address for
the PDF, and the file's SHA-256 and size. Facts only, no PDF. The importer finds a
file's row by its SHA-256 (whatever the file is called); `manage.py fetch_reports`
downloads the files and checks them against it. `manage.py build_reports_manifest`
wrote it from the report indexes in ../shared/.
"""

import csv
import datetime
from dataclasses import dataclass

from django.conf import settings

MANIFEST = settings.BASE_DIR / "fixtures" / "reports-manifest.csv"
COLUMNS = ["slug", "file", "urn", "published", "ofsted_url", "sha256", "bytes"]


@dataclass(frozen=True)
class Entry:
    slug: str
    file: str
    urn: str
    published: datetime.date | None
    ofsted_url: str
    sha256: str
    bytes: int


def read_manifest(path=MANIFEST):
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(COLUMNS)}")
        return [
            Entry(
                slug=row["slug"],
                file=row["file"],
                urn=row["urn"],
                published=datetime.date.fromisoformat(row["published"])
                if row["published"]
                else None,
                ofsted_url=row["ofsted_url"],
                sha256=row["sha256"].lower(),
                bytes=int(row["bytes"]),
            )
            for row in reader
        ]


def entry_for(sha256, path=MANIFEST):
    """The manifest's row for the file with this checksum, or None."""
    if not sha256 or not path.exists():
        return None
    return next((entry for entry in read_manifest(path) if entry.sha256 == sha256), None)


def write_manifest(entries, path=MANIFEST):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for e in sorted(entries, key=lambda e: (e.slug, e.published or datetime.date.min, e.file)):
            published = e.published.isoformat() if e.published else ""
            writer.writerow([e.slug, e.file, e.urn, published, e.ofsted_url, e.sha256, e.bytes])
