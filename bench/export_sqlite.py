"""Copy the findings in DATABASE_URL into an SQLite file for Datasette, the way one would
publish them with Datasette: one `findings` table (service areas as a JSON array, for
`_facet_array`), its `findings_fts` full-text index (FTS5, porter stemming), and the
`service_areas` taxonomy.

The index names its table as `content="findings"`, in double quotes: Datasette finds a
table's full-text index by matching that spelling (or `[findings]`), and with single
quotes it did not, so its `_search=` silently answered the whole unfiltered table (the
first comparison's search ratio was invalid; issue 19). bench/run.py now checks that
Datasette and the site give the same count for every shared question.
Run by bench/run.py with the project's .venv python.

    DATABASE_URL=… .venv/bin/python bench/export_sqlite.py out.db
"""

import json
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")


def row(f):
    return (
        f.pk, f.inspection.slug, f.inspection.local_authority.slug, f.number,
        f.inspection.start_date.isoformat(), f.judgement.area.slug,
        f.judgement.get_grade_display(), json.dumps([a.slug for a in f.service_areas.all()]),
        f.text, int(f.inspection.is_synthetic),
    )  # fmt: skip


def main(path):
    import django

    django.setup()
    from judgements.models import Finding, ServiceArea

    Path(path).unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE service_areas (slug TEXT PRIMARY KEY, name TEXT);
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY, inspection TEXT, local_authority TEXT, number INTEGER,
            start_date TEXT, judgement_area TEXT, grade TEXT, service_areas TEXT, text TEXT,
            is_synthetic INTEGER
        );
        """
    )
    db.executemany(
        "INSERT INTO service_areas VALUES (?, ?)", ServiceArea.objects.values_list("slug", "name")
    )
    rows = (row(f) for f in Finding.objects.with_context().order_by("pk").iterator(5000))
    db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executescript(
        """
        CREATE INDEX findings_order ON findings (start_date DESC, inspection, number);
        CREATE INDEX findings_judgement_area ON findings (judgement_area);
        CREATE VIRTUAL TABLE findings_fts USING fts5(
            text, content="findings", content_rowid='id', tokenize='porter'
        );
        INSERT INTO findings_fts (rowid, text) SELECT id, text FROM findings;
        """
    )
    db.commit()
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
