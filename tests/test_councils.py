"""Councils as entities: the table, resolving the names reports print, the authority page."""

import csv
import datetime
import filecmp
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.council_table import TABLE, load_councils, read_table
from reports.councils import UnknownAuthority, resolve_authority
from reports.importing import ReportParseError
from reports.models import (
    LocalAuthority,
    LocalAuthorityAlias,
    Region,
    StatisticalNeighbour,
)

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
REFERENCE = SHARED / "reference"


def need(path):
    """The shared data a test reads: fail, saying what is missing, when it is not there."""
    assert path.exists(), f"{path} is missing: the tests need the shared folder ../shared/"
    return path


def csv_of(path, encoding="utf-8-sig"):
    with open(need(path), newline="", encoding=encoding) as file:
        return list(csv.DictReader(file))


# Every way of printing a council's name the brief and the reports show, and who it is.
PRINTED = [
    ("Bedford", "bedford"),
    ("Bedford Borough", "bedford"),
    ("Bedford Borough Council", "bedford"),
    ("Derby", "derby"),
    ("Derby City", "derby"),
    ("Derby City Council", "derby"),
    ("Leeds City", "leeds"),
    ("Leeds City Council", "leeds"),
    ("Portsmouth City", "portsmouth"),
    ("Portsmouth City Council", "portsmouth"),
    ("Hull", "kingston-upon-hull"),
    ("Kingston Upon Hull", "kingston-upon-hull"),
    ("Kingston upon Hull City Council", "kingston-upon-hull"),
    ("Hull City Council", "kingston-upon-hull"),
    ("Newcastle", "newcastle-upon-tyne"),
    ("Newcastle upon Tyne", "newcastle-upon-tyne"),
    ("Newcastle City Council", "newcastle-upon-tyne"),
    ("Hammersmith & Fulham", "hammersmith-and-fulham"),
    ("Hammersmith and Fulham", "hammersmith-and-fulham"),
    ("London Borough of Hammersmith & Fulham", "hammersmith-and-fulham"),
    ("the Royal Borough of Kensington and Chelsea", "kensington-and-chelsea"),
    ("Royal Borough of Kensington and Chelsea", "kensington-and-chelsea"),
    ("Medway Children's Services", "medway"),
    ("Medway Children’s Services", "medway"),  # a typographic apostrophe
    ("Medway Council", "medway"),
    ("Southend-on-Sea city council", "southend-on-sea"),
    ("Southend-on-Sea Borough Council", "southend-on-sea"),
    ("Southend", "southend-on-sea"),
    ("Tameside metropolitan borough", "tameside"),
    ("Tameside Metropolitan Borough Council", "tameside"),
    ("City of London", "city-of-london"),
    ("London", "city-of-london"),  # what the parser leaves of "City of London"
    ("the City of London Corporation", "city-of-london"),
    ("Kent County Council", "kent"),
    ("Inspection of Kent County Council children's services", "kent"),
    ("City of York", "york"),
    ("City of York Council", "york"),
    ("York", "york"),
    ("Bristol, City of", "bristol"),
    ("Bristol City Council", "bristol"),
    ("City of Bradford Metropolitan District Council", "bradford"),
    ("London Borough of Harrow", "harrow"),
    ("Harrow Council", "harrow"),
    ("Metropolitan Borough of Wirral", "wirral"),
    ("Durham County Council", "durham"),
    ("County Durham", "durham"),
    ("Herefordshire, County of", "herefordshire"),
    ("Council of the Isles of Scilly", "isles-of-scilly"),
    ("St. Helens", "st-helens"),
    ("St Helens Council", "st-helens"),
    ("Telford & Wrekin", "telford-and-wrekin"),
    ("Bournemouth, Christchurch & Poole", "bournemouth-christchurch-and-poole"),
    ("BCP", "bournemouth-christchurch-and-poole"),
    ("Stoke-on-Trent City Council", "stoke-on-trent"),
    # Children's trusts deliver a council's services: the report is the council's.
    ("Birmingham Children's Trust", "birmingham"),
    ("Sandwell Children's Trust", "sandwell"),
    ("Doncaster Children's Services Trust", "doncaster"),
    ("Torbay Children and Families Trust", "torbay"),
    ("Northamptonshire Children's Trust", "northamptonshire"),
]


@pytest.mark.parametrize(("printed", "slug"), PRINTED)
def test_every_printed_form_resolves_to_its_council(printed, slug):
    assert resolve_authority(printed).slug == slug


def test_a_name_two_councils_had_resolves_by_the_inspection_date():
    assert resolve_authority("Dorset County Council", on=datetime.date(2018, 5, 1)).slug == (
        "dorset-county-council"
    )
    assert resolve_authority("Dorset Council", on=datetime.date(2023, 5, 1)).slug == "dorset"
    assert resolve_authority("Dorset").slug == "dorset"  # no date: the one operating now


def test_ofsted_urn_wins_over_the_printed_name():
    assert resolve_authority("Some trust we never heard of", urn="80499").slug == "harrow"
    assert resolve_authority("Harrow", urn="99999999").slug == "harrow"  # unknown URN: name


def test_an_unknown_name_is_a_clear_import_error_naming_the_closest_and_creates_nothing():
    before = (LocalAuthority.objects.count(), LocalAuthorityAlias.objects.count())
    with pytest.raises(UnknownAuthority) as raised:
        resolve_authority("Harow Council")
    assert isinstance(raised.value, ReportParseError)  # the importer reports it as such
    message = str(raised.value)
    assert "'Harow Council'" in message and "the closest are Harrow" in message
    assert "alias" in message
    with pytest.raises(UnknownAuthority, match="no council has a similar name"):
        resolve_authority("Atlantis Underwater Authority")
    assert (LocalAuthority.objects.count(), LocalAuthorityAlias.objects.count()) == before


def test_staff_can_add_an_alias_that_then_resolves():
    walsall = LocalAuthority.objects.get(slug="walsall")
    alias = LocalAuthorityAlias(authority=walsall, name="Walsall Children's Partnership Board")
    alias.full_clean()
    alias.save()
    assert alias.key == "walsall children s partnership board"
    assert resolve_authority("Walsall Children’s Partnership Board") == walsall
    clash = LocalAuthorityAlias(authority=walsall, name="Dudley Metropolitan Borough Council")
    with pytest.raises(ValidationError, match="is how Dudley is named already"):
        clash.full_clean()


def test_the_table_holds_every_authority_once_with_codes_from_the_dfe_list():
    rows = read_table()
    dfe = csv_of(REFERENCE / "dfe-las.csv")
    codes = {r["new_la_code"]: r for r in dfe}
    assert LocalAuthority.objects.count() == len(rows)
    for row in rows:
        assert row["ons_code"] in codes, row["slug"]  # never a combined row "A / B"
        assert codes[row["ons_code"]]["old_la_code"] == row["dfe_code"]
        assert row["region"] in Region.values
        for code in row["former_ons_codes"]:
            assert codes[code]["old_la_code"] == row["dfe_code"]
    # Every real authority of the DfE's list (a DfE code, an E… code, not "A / B") is held.
    listed = {
        r["new_la_code"]
        for r in dfe
        if r["old_la_code"].isdigit() and re.fullmatch(r"E\d{8}", r["new_la_code"])
    }
    held = {row["ons_code"] for row in rows} | {c for row in rows for c in row["former_ons_codes"]}
    assert held == listed
    harrow = LocalAuthority.objects.get(slug="harrow")
    assert (harrow.ons_code, harrow.dfe_code, harrow.ofsted_urn, harrow.region) == (
        "E09000015", "310", "80499", Region.LONDON,
    )  # fmt: skip
    assert harrow.get_region_display() == "London"
    assert LocalAuthority.objects.get(slug="leeds").ofsted_region == (
        "North East, Yorkshire and the Humber"
    )


def test_the_newer_councils_have_their_seven_digit_urns():
    urns = dict(LocalAuthority.objects.values_list("slug", "ofsted_urn"))
    assert urns["bournemouth-christchurch-and-poole"] == "2532287"
    assert urns["north-northamptonshire"] == "2637539"
    assert urns["west-northamptonshire"] == "2637548"
    assert urns["cumberland"] == "2733690"
    assert urns["westmorland-and-furness"] == "2733698"
    codes = dict(LocalAuthority.objects.values_list("slug", "ons_code"))
    assert (codes["cumberland"], codes["westmorland-and-furness"]) == ("E06000063", "E06000064")
    regions = dict(LocalAuthority.objects.values_list("slug", "region"))
    assert regions["gloucestershire"] == Region.SOUTH_WEST
    assert regions["buckinghamshire"] == Region.SOUTH_EAST


def test_every_ofsted_urn_in_the_report_index_is_its_councils():
    index = csv_of(SHARED / "corpus" / "INDEX.csv")
    urns = dict(LocalAuthority.objects.exclude(ofsted_urn="").values_list("ofsted_urn", "slug"))
    for entry in index:
        assert entry["urn"] in urns, entry["file"]
        assert resolve_authority(entry["local_authority"]).slug == urns[entry["urn"]]


def slugs(authorities):
    return {authority.slug for authority in authorities.all()}


def test_predecessors_and_successors_of_the_reorganisations():
    get = LocalAuthority.objects.get
    bcp = get(slug="bournemouth-christchurch-and-poole")
    assert slugs(bcp.predecessors) == {"bournemouth", "poole", "dorset-county-council"}
    assert slugs(get(slug="bournemouth").successors) == {bcp.slug}
    assert slugs(get(slug="poole").successors) == {bcp.slug}
    assert slugs(get(slug="dorset-county-council").successors) == {bcp.slug, "dorset"}
    for slug in ["north-northamptonshire", "west-northamptonshire"]:
        assert slugs(get(slug=slug).predecessors) == {"northamptonshire"}
    northamptonshire = get(slug="northamptonshire")
    assert slugs(northamptonshire.successors) == {
        "north-northamptonshire",
        "west-northamptonshire",
    }
    assert northamptonshire.closed == datetime.date(2021, 3, 31)
    for slug in ["cumberland", "westmorland-and-furness"]:
        assert slugs(get(slug=slug).predecessors) == {"cumbria"}
        assert get(slug=slug).opened == datetime.date(2023, 4, 1)
    assert slugs(get(slug="cumbria").successors) == {"cumberland", "westmorland-and-furness"}
    assert get(slug="cumbria").closed == datetime.date(2023, 3, 31)
    assert not get(slug="harrow").predecessors.exists()


def test_statistical_neighbours_keep_the_dfe_order():
    lookup = csv_of(REFERENCE / "d2i-provider-lookup.csv")
    row = next(r for r in lookup if r["la_code"] == "310")  # Harrow
    by_dfe = dict(LocalAuthority.objects.values_list("dfe_code", "slug"))
    expected = [by_dfe[code.strip()] for code in row["stat_neighbours"].split(",")]
    links = StatisticalNeighbour.objects.filter(authority__slug="harrow").order_by("position")
    assert [link.neighbour.slug for link in links] == expected
    assert len(expected) == 10


def test_loading_the_table_again_changes_nothing():
    counts = (
        LocalAuthority.objects.count(),
        StatisticalNeighbour.objects.count(),
        LocalAuthorityAlias.objects.count(),
    )
    out = StringIO()
    call_command("load_councils", stdout=out)
    assert "0 added, 0 updated" in out.getvalue()
    assert (
        LocalAuthority.objects.count(),
        StatisticalNeighbour.objects.count(),
        LocalAuthorityAlias.objects.count(),
    ) == counts


def test_the_harrow_fixture_loads_into_the_tables_harrow_and_keeps_its_facts(harrow):
    table_harrow = next(row for row in read_table() if row["slug"] == "harrow")
    authority = harrow.local_authority
    assert LocalAuthority.objects.filter(name="Harrow").count() == 1
    assert authority.ons_code == table_harrow["ons_code"]
    assert authority.ofsted_urn == table_harrow["ofsted_urn"]
    neighbours = [link.neighbour.slug for link in authority.neighbour_links.order_by("position")]
    assert neighbours == table_harrow["statistical_neighbours"]
    call_command("loaddata", "harrow-2020-02", verbosity=0)  # again: still one Harrow
    assert LocalAuthority.objects.filter(slug="harrow").get().ons_code == "E09000015"


def test_a_council_already_in_the_database_is_completed_by_slug_not_duplicated():
    """A database from before the table: Harrow (from its fixture) with a name and slug
    only, and an inspection; loading the table completes that row."""
    LocalAuthority.objects.exclude(slug="harrow").delete()
    call_command("loaddata", "harrow-2020-02", verbosity=0)
    LocalAuthority.objects.filter(slug="harrow").update(ons_code=None, dfe_code="", ofsted_urn="")
    harrow = LocalAuthority.objects.get(slug="harrow")
    assert LocalAuthority.objects.count() == 1
    counts = load_councils()
    assert counts == {"created": len(read_table()) - 1, "updated": 1}
    assert LocalAuthority.objects.count() == len(read_table())
    merged = LocalAuthority.objects.get(slug="harrow")
    assert merged.pk == harrow.pk
    assert merged.inspections.get().slug == "harrow-2020-02"
    assert (merged.ons_code, merged.dfe_code) == ("E09000015", "310")
    assert merged.neighbour_links.count() == 10
    assert load_councils() == {"created": 0, "updated": 0}


def test_aliases_staff_added_survive_a_reload():
    LocalAuthorityAlias.objects.create(
        authority=LocalAuthority.objects.get(slug="harrow"), name="Harrow on the Hill"
    )
    load_councils()
    assert resolve_authority("Harrow on the Hill").slug == "harrow"


def test_the_committed_table_is_what_build_council_table_makes_from_the_reference(tmp_path):
    need(REFERENCE)
    out = StringIO()
    call_command("build_council_table", "--output", str(tmp_path / "councils.csv"), stdout=out)
    assert filecmp.cmp(tmp_path / "councils.csv", TABLE, shallow=False)
    fixes = out.getvalue()
    assert "Gloucestershire: the lookup's region E12000003 is wrong" in fixes
    assert "skipped the combined row E06000061 / E06000062" in fixes


def test_build_council_table_says_what_is_missing(tmp_path):
    with pytest.raises(CommandError, match=r"dfe-las\.csv is missing"):
        call_command("build_council_table", "--reference", str(tmp_path), stdout=StringIO())


def test_the_committed_manifest_is_what_build_reports_manifest_makes(tmp_path):
    from reports.manifest import MANIFEST

    need(SHARED / "corpus" / "INDEX.csv")
    call_command(
        "build_reports_manifest", "--output", str(tmp_path / "manifest.csv"), stdout=StringIO()
    )
    assert filecmp.cmp(tmp_path / "manifest.csv", MANIFEST, shallow=False)


def test_the_authority_page_shows_codes_region_and_linked_neighbours(
    client, harrow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):  # 8, and the data version for the ETag
        response = client.get("/local-authorities/harrow/")
    content = response.content.decode()
    for fact in ["E09000015", "310", "80499", "London"]:
        assert fact in content
    neighbours = content[content.index("Statistical neighbours") :]
    links = re.findall(r'href="/local-authorities/([a-z-]+)/"', neighbours)
    table = next(row for row in read_table() if row["slug"] == "harrow")
    assert links[:10] == table["statistical_neighbours"]


def test_the_authority_page_links_predecessors_and_successors(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as bcp_queries:
        bcp = client.get("/local-authorities/bournemouth-christchurch-and-poole/").content.decode()
    for slug in ["bournemouth", "poole", "dorset-county-council"]:
        assert f'href="/local-authorities/{slug}/"' in bcp
    assert "Took over from" in bcp and "No inspection of" in bcp
    # Fixed: a council with no neighbours or successors costs the same queries.
    with django_assert_max_num_queries(len(bcp_queries.captured_queries)):
        bournemouth = client.get("/local-authorities/bournemouth/").content.decode()
    assert "Succeeded by" in bournemouth
    assert 'href="/local-authorities/bournemouth-christchurch-and-poole/"' in bournemouth
    assert "Closed" in bournemouth and "31 March 2019" in bournemouth


def test_the_api_gives_a_councils_codes(client):
    body = client.get("/api/local-authorities/harrow/", HTTP_ACCEPT="application/json").json()
    assert {k: body[k] for k in ["ons_code", "dfe_code", "ofsted_urn", "region"]} == {
        "ons_code": "E09000015",
        "dfe_code": "310",
        "ofsted_urn": "80499",
        "region": "E12000007",
    }
    closed = client.get("/api/local-authorities/cumbria/", HTTP_ACCEPT="application/json").json()
    assert closed["closed"] == "2023-03-31"


def test_staff_add_an_alias_in_the_admin_and_a_duplicate_is_refused(admin_client):
    walsall = LocalAuthority.objects.get(slug="walsall")
    page = admin_client.get(f"/admin/reports/localauthority/{walsall.pk}/change/")
    assert page.status_code == 200 and "E08000030" in page.content.decode()
    add = "/admin/reports/localauthorityalias/add/"
    response = admin_client.post(add, {"authority": walsall.pk, "name": "Walsall MBC Children"})
    assert response.status_code == 302
    assert resolve_authority("Walsall MBC Children") == walsall
    again = admin_client.post(add, {"authority": walsall.pk, "name": "walsall mbc children"})
    assert again.status_code == 200
    assert "is already an alias, of Walsall" in again.content.decode()
    assert LocalAuthorityAlias.objects.filter(authority=walsall).count() == 1


def test_load_councils_names_a_council_with_reports_that_the_table_does_not_have():
    from tests.factories import InspectionFactory, LocalAuthorityFactory

    InspectionFactory(
        local_authority=LocalAuthorityFactory(name="Bedford Borough", slug="bedford-borough")
    )
    out = StringIO()
    call_command("load_councils", stdout=out)
    assert "Not in the table: bedford-borough (Bedford Borough), which has reports" in (
        out.getvalue()
    )
