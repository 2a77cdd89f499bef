"""manage.py build_reports_manifest [--index FILE ...] [--output FILE]"""

import csv
import datetime
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.councils import UnknownAuthority, resolve_authority
from reports.manifest import MANIFEST, Entry, write_manifest

from .build_council_table import SHARED

INDEXES = [SHARED / "corpus" / "INDEX.csv", SHARED / "reports" / "INDEX.csv"]


class Command(BaseCommand):
    help = (
        "Write fixtures/reports-manifest.csv from the report indexes in ../shared/ "
        "(council, file, Ofsted URN, publication date, Ofsted's address, SHA-256, size), "
        "resolving each report's council against the councils table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--index", type=Path, action="append", dest="indexes")
        parser.add_argument("--output", type=Path, default=MANIFEST)

    def handle(self, *args, indexes, output, **options):
        entries = {}
        for index in indexes or INDEXES:
            if not index.exists():
                raise CommandError(f"{index} is missing: it is needed to build the manifest.")
            with open(index, newline="", encoding="utf-8") as file:
                for row in csv.DictReader(file):
                    entry = self.entry(index, row)
                    earlier = entries.get(entry.sha256)
                    if earlier and (earlier.slug, earlier.published) != (
                        entry.slug,
                        entry.published,
                    ):
                        raise CommandError(f"{row['file']}: the indexes disagree about it")
                    entries.setdefault(entry.sha256, entry)
        write_manifest(entries.values(), output)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(entries)} reports to {output}"))

    def entry(self, index, row):
        where = f"{index.name}, {row['file']}"
        if not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]):
            raise CommandError(f"{where}: {row['sha256']!r} is not a SHA-256")
        try:
            authority = resolve_authority(row["local_authority"], urn=row.get("urn", ""))
        except UnknownAuthority as error:
            raise CommandError(f"{where}: {error}") from None
        return Entry(
            slug=authority.slug,
            file=row["file"],
            urn=row.get("urn") or authority.ofsted_urn,
            published=datetime.date.fromisoformat(row["published"]),
            ofsted_url=row["ofsted_url"],
            sha256=row["sha256"],
            bytes=int(row["bytes"]),
        )
