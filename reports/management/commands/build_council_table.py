"""manage.py build_council_table [--reference DIR] [--output FILE]

Writes the project's table of councils (fixtures/councils.csv) from the reference data
in ../shared/reference/ (the DfE's list of local authorities and data-to-insight's
provider lookup) and the report indexes in ../shared/corpus/ and ../shared/reports/,
applying the fixes docs/decisions/councils.md lists. Run once; the table it writes is
committed, the reference files never are. Every fix it makes is printed.
"""

import csv
import datetime
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from reports.council_table import TABLE, write_table
from reports.councils import name_key
from reports.models import Region

SHARED = settings.BASE_DIR.parent / "shared"
# What the DfE's list only shows as dates: which councils took over whose children's
# services. Bournemouth, Poole and (for Christchurch) Dorset County Council became BCP
# in 2019, the rest of Dorset County Council became Dorset Council; Bedfordshire and
# Cheshire split in 2009, Northamptonshire in 2021, Cumbria in 2023.
PREDECESSORS = {
    "bedford": ["bedfordshire"],
    "central-bedfordshire": ["bedfordshire"],
    "cheshire-east": ["cheshire"],
    "cheshire-west-and-chester": ["cheshire"],
    "bournemouth-christchurch-and-poole": ["bournemouth", "poole", "dorset-county-council"],
    "dorset": ["dorset-county-council"],
    "north-northamptonshire": ["northamptonshire"],
    "west-northamptonshire": ["northamptonshire"],
    "cumberland": ["cumbria"],
    "westmorland-and-furness": ["cumbria"],
}
# Short names reports and people use that no source lists.
EXTRA_ALIASES = {
    "kingston-upon-hull": ["Hull", "Kingston upon Hull, City of"],
    "newcastle-upon-tyne": ["Newcastle"],
    "city-of-london": ["London", "City of London Corporation"],
    "southend-on-sea": ["Southend"],
    "bournemouth-christchurch-and-poole": ["BCP"],
}


def dfe_date(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def clean_name(name):
    """A DfE name as Ofsted prints it: "Bristol, City of" is Bristol, "County Durham" is
    Durham, "St. Helens" is St Helens."""
    name = re.sub(r", (City|County) of$", "", name)
    name = re.sub(r"^County ", "", name)
    return name.replace("St. ", "St ")


def read_csv(path):
    if not path.exists():
        raise CommandError(f"{path} is missing: it is needed to build the councils table.")
    with open(path, newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


class Command(BaseCommand):
    help = "Write fixtures/councils.csv from the reference data in ../shared/reference/."

    def add_arguments(self, parser):
        parser.add_argument("--reference", type=Path, default=SHARED / "reference")
        parser.add_argument("--corpus-index", type=Path, default=SHARED / "corpus" / "INDEX.csv")
        parser.add_argument("--reports-index", type=Path, default=SHARED / "reports" / "INDEX.csv")
        parser.add_argument("--output", type=Path, default=TABLE)

    def fix(self, message):
        self.fixes.append(message)
        self.stdout.write(f"fix: {message}")

    def handle(self, *args, reference, corpus_index, reports_index, output, **options):
        self.fixes = []
        rows = self.authorities(read_csv(reference / "dfe-las.csv"))
        by_dfe = {row["dfe_code"]: row for row in rows}
        regions = {r["region_code"] for r in read_csv(reference / "dfe-regions.csv")}
        unknown = {row["region"] for row in rows} - set(Region.values)
        if unknown or not set(Region.values) <= regions:
            raise CommandError(f"regions not in dfe-regions.csv or the model: {unknown}")
        self.provider_lookup(read_csv(reference / "d2i-provider-lookup.csv"), by_dfe)
        self.report_indexes(read_csv(corpus_index), read_csv(reports_index), rows)
        by_slug = {row["slug"]: row for row in rows}
        for slug, predecessors in PREDECESSORS.items():
            for predecessor in predecessors:
                before, after = by_slug[predecessor], by_slug[slug]
                if before["closed"] != after["opened"] - datetime.timedelta(days=1):
                    raise CommandError(f"{predecessor} did not close the day before {slug}")
            by_slug[slug]["predecessors"] = sorted(predecessors)
        for slug, names in EXTRA_ALIASES.items():
            by_slug[slug]["aliases"] += names
        self.tidy_aliases(rows)
        write_table(rows, output)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(rows)} councils to {output} ({len(self.fixes)} fixes)")
        )

    def authorities(self, dfe_rows):
        """One row per DfE code: a council whose ONS code changed (Northumberland 2013,
        Gateshead 2013, Buckinghamshire 2020, North Yorkshire and Somerset 2023, Barnsley
        and Sheffield 2025) keeps its children's services, DfE code and Ofsted URN."""
        groups = defaultdict(list)
        for row in dfe_rows:
            code, dfe = row["new_la_code"], row["old_la_code"]
            if " / " in code:
                self.fix(f"skipped the combined row {code} ({row['la_name']}): not an authority")
            elif not re.fullmatch(r"E\d{8}", code) or not re.fullmatch(r"\d{3}", dfe):
                self.fix(
                    f"skipped {code} {row['la_name']} (DfE code {dfe!r}): no children's "
                    "services of its own in the DfE's list"
                )
            else:
                groups[dfe].append(row)
        rows, names = [], defaultdict(list)
        for dfe, group in groups.items():
            group.sort(key=lambda r: dfe_date(r["date_of_operation"]))
            current = group[-1]
            if len(group) > 1:
                self.fix(
                    f"{current['la_name']}: ONS codes "
                    f"{', '.join(r['new_la_code'] for r in group)} are one authority (DfE {dfe})"
                )
            row = {
                "name": clean_name(current["la_name"]),
                "ons_code": current["new_la_code"],
                "former_ons_codes": [r["new_la_code"] for r in group[:-1]],
                "dfe_code": dfe,
                "ofsted_urn": "",
                "region": current["parent_geography_code"],
                "opened": dfe_date(group[0]["date_of_operation"]),
                "closed": dfe_date(current["date_of_termination"]),
                "entity": current["entity_code"],
                "predecessors": [],
                "statistical_neighbours": [],
                "aliases": [current["la_name"]],
            }
            names[row["name"]].append(row)
            rows.append(row)
        for name, same in names.items():
            if len(same) > 1:  # Dorset: the county council to 2019, Dorset Council since
                for row in same:
                    if row["closed"] and row["entity"] == "E10":
                        row["name"] = f"{name} County Council"
                        self.fix(f"the {name} that closed in {row['closed']:%Y} is {row['name']}")
        for row in rows:
            row["slug"] = slugify(row["name"])
        return rows

    def provider_lookup(self, lookup, by_dfe):
        """Ofsted URNs and statistical neighbours from data-to-insight's lookup, each row
        checked against the DfE's list (which wins on ONS codes and regions)."""
        seen = set()
        for entry in lookup:
            dfe, name = entry["la_code"].strip(), entry["local_authority_ons_name"]
            if dfe in seen:
                self.fix(f"{name} is in the provider lookup twice: the first row kept")
                continue
            seen.add(dfe)
            row = by_dfe.get(dfe)
            if row is None:
                self.fix(f"{name} (DfE {dfe}) is not in the DfE's list: skipped")
                continue
            ons = entry["la_code_new"].strip()
            if ons not in [row["ons_code"], *row["former_ons_codes"]]:
                self.fix(f"{row['name']}: the lookup's ONS code {ons} is wrong; {row['ons_code']}")
            if entry["rgn22cd"].strip() != row["region"]:
                self.fix(
                    f"{row['name']}: the lookup's region {entry['rgn22cd']} is wrong; "
                    f"{row['region']} ({Region(row['region']).label})"
                )
            urn = entry["urn"].strip()
            if urn == dfe or not re.fullmatch(r"\d{5,7}", urn):
                self.fix(f"{row['name']}: the lookup's URN {urn!r} is not an Ofsted URN")
            elif row["closed"] and not entry["stat_neighbours"].strip():
                self.fix(
                    f"{row['name']}: the lookup's URN {urn} for a closed council (a row with no "
                    "neighbours and no region) is confirmed by no report: left out"
                )
            else:
                row["ofsted_urn"] = urn
            row["d2i_neighbours"] = [
                code.strip() for code in entry["stat_neighbours"].split(",") if code.strip()
            ]
            # Its `also_known_as` lists names separated by commas that names also contain
            # ("[BCP, Bournemouth, Christchurch & Poole]"): not used; EXTRA_ALIASES has them.
            row["aliases"].append(name)
        for row in by_dfe.values():
            neighbours = []
            for code in row.pop("d2i_neighbours", []):
                if code not in by_dfe or code == row["dfe_code"]:
                    self.fix(f"{row['name']}: statistical neighbour {code} unknown: left out")
                else:
                    neighbours.append(by_dfe[code]["slug"])
            row["statistical_neighbours"] = neighbours

    def report_indexes(self, corpus, reports, rows):
        """Check the URNs against the report indexes (which name each report's council and
        give Ofsted's URN for it), and keep the names the indexes use as aliases."""
        by_urn = {row["ofsted_urn"]: row for row in rows if row["ofsted_urn"]}
        keys = {}
        for row in rows:
            for name in [row["name"], *row["aliases"]]:
                keys.setdefault(name_key(name), row)
        for entry in [*corpus, *reports]:
            urn, printed = entry.get("urn", "").strip(), entry["local_authority"]
            row = by_urn.get(urn) if urn else None
            named = keys.get(name_key(printed))
            if urn and row is None:
                if named is None:
                    raise CommandError(f"{entry['file']}: URN {urn} and {printed!r} unknown")
                self.fix(f"{named['name']}: URN {urn} from the report index ({entry['file']})")
                named["ofsted_urn"], by_urn[urn], row = urn, named, named
            row = row or named
            if row is None:
                raise CommandError(f"{entry['file']}: no council called {printed!r}")
            if named is not None and named is not row:
                raise CommandError(f"{entry['file']}: URN {urn} is not {printed!r}")
            row["aliases"].append(printed)

    def tidy_aliases(self, rows):
        """Keep each alias that a council's own name does not already match, once."""
        taken = defaultdict(set)  # name key: the slugs of councils it names
        for row in rows:
            taken[name_key(row["name"])].add(row["slug"])
        for row in rows:
            aliases = {}
            for alias in row["aliases"]:
                key = name_key(alias)
                if key == name_key(row["name"]) or key in aliases:
                    continue
                if taken[key] - {row["slug"]}:
                    self.fix(f"{row['name']}: alias {alias!r} is another council's name: left out")
                else:
                    aliases[key] = alias
                    taken[key].add(row["slug"])
            row["aliases"] = sorted(aliases.values(), key=str.casefold)
