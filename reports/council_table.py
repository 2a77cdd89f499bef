"""The project's table of councils, fixtures/councils.csv: reading it and loading it.

One row per English upper-tier authority with children's services since 2009 (closed
ones included). Lists inside a cell (codes, slugs, names) are separated by "; ".
`manage.py build_council_table` writes it from the reference data; `load_councils`
(and migration 0006) load it. docs/decisions/councils.md says where each fact is from.
"""

import csv
import datetime

from django.conf import settings

TABLE = settings.BASE_DIR / "fixtures" / "councils.csv"
COLUMNS = [
    "slug", "name", "ons_code", "former_ons_codes", "dfe_code", "ofsted_urn", "region",
    "opened", "closed", "predecessors", "statistical_neighbours", "aliases",
]  # fmt: skip
LISTS = ["former_ons_codes", "predecessors", "statistical_neighbours", "aliases"]
SEPARATOR = "; "


def read_table(path=TABLE):
    """The table's rows as dicts, lists split and dates parsed."""
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        # Extra columns are ignored, so that migration 0006 can still load a later table.
        if missing := [c for c in COLUMNS if c not in (reader.fieldnames or [])]:
            raise ValueError(f"{path}: the header has no {', '.join(missing)}")
        rows = []
        for row in reader:
            for column in LISTS:
                row[column] = [v.strip() for v in row[column].split(";") if v.strip()]
            for column in ("opened", "closed"):
                row[column] = datetime.date.fromisoformat(row[column]) if row[column] else None
            rows.append(row)
    return rows


def write_table(rows, path=TABLE):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in sorted(rows, key=lambda r: r["slug"]):
            writer.writerow(
                SEPARATOR.join(row[c])
                if c in LISTS
                else (row[c].isoformat() if isinstance(row[c], datetime.date) else row[c])
                for c in COLUMNS
            )


def load_councils(apps=None, path=TABLE):
    """Create or update every council of the table, matched by slug (so a council
    already in the database, like Harrow from its fixture, keeps its id and reports).

    Idempotent. Works with a migration's historical `apps` as well as the real models.
    Aliases staff added are kept; the table's aliases are set to point where it says.
    Returns {"created": n, "updated": n}.
    """
    from reports.councils import name_key

    if apps is None:
        from django.apps import apps
    LocalAuthority = apps.get_model("reports", "LocalAuthority")
    StatisticalNeighbour = apps.get_model("reports", "StatisticalNeighbour")
    Alias = apps.get_model("reports", "LocalAuthorityAlias")
    rows = read_table(path)
    counts = {"created": 0, "updated": 0}
    by_slug = {}
    for row in rows:
        fields = {
            "name": row["name"],
            "ons_code": row["ons_code"] or None,
            "former_ons_codes": row["former_ons_codes"],
            "dfe_code": row["dfe_code"],
            "ofsted_urn": row["ofsted_urn"],
            "region": row["region"],
            "opened": row["opened"],
            "closed": row["closed"],
        }
        authority = LocalAuthority.objects.filter(slug=row["slug"]).first()
        if authority is None:
            authority = LocalAuthority.objects.create(slug=row["slug"], **fields)
            counts["created"] += 1
        else:
            changed = [name for name, value in fields.items() if getattr(authority, name) != value]
            for name in changed:
                setattr(authority, name, fields[name])
            if changed:
                authority.save(update_fields=changed)
                counts["updated"] += 1
        by_slug[row["slug"]] = authority
    for row in rows:
        authority = by_slug[row["slug"]]
        predecessors = [by_slug[slug] for slug in row["predecessors"]]
        if {a.pk for a in authority.predecessors.all()} != {a.pk for a in predecessors}:
            authority.predecessors.set(predecessors)
        wanted = [(by_slug[slug].pk, n) for n, slug in enumerate(row["statistical_neighbours"], 1)]
        links = StatisticalNeighbour.objects.filter(authority=authority).order_by("position")
        if [(link.neighbour_id, link.position) for link in links] != wanted:
            links.delete()
            StatisticalNeighbour.objects.bulk_create(
                StatisticalNeighbour(authority=authority, neighbour_id=pk, position=n)
                for pk, n in wanted
            )
        for alias in row["aliases"]:
            Alias.objects.update_or_create(
                key=name_key(alias), defaults={"authority": authority, "name": alias}
            )
    return counts
