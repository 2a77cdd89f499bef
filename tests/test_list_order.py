"""The findings list's order at scale: the newest report first, then paragraph order,
kept on the findings table by triggers (judgements migration 0011) and read a page of
ids at a time (harrow_inspection/paging.py); and a search too common to rank, listed
newest first."""

import datetime
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command

from harrow_inspection.paging import total_order
from judgements.facets import Facet, FacetValue, checkboxes
from judgements.filters import LIST_ORDER
from judgements.models import Finding
from reports.models import Inspection
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory
from tests.test_api import api_numbers, csv_rows, html_numbers

pytestmark = pytest.mark.django_db


def expected_order(findings):
    """Newest inspection first (ties by id), then paragraph number, worked out in Python."""
    rows = findings.values_list("inspection__start_date", "inspection_id", "inspection__slug",
                                "number")  # fmt: skip
    ordered = sorted(rows, key=lambda r: (-r[0].toordinal(), r[1], r[3]))
    return [(slug, number) for _, _, slug, number in ordered]


@pytest.fixture
def many(harrow):
    """Harrow and 12 synthetic inspections of 30 findings: 392 findings, 20 pages."""
    call_command("generate_synthetic", councils=3, inspections=4, seed=3, verbosity=0)
    return Finding.objects.all()


def test_every_page_holds_the_next_findings_in_order(client, many):
    expected = expected_order(many)
    assert len(expected) == 392
    assert api_numbers(client, {}) == expected
    # a deep page of the website shows the same 20 as the API's
    deep = client.get("/findings/", {"page": 17})
    assert deep.status_code == 200
    content = deep.content.decode()
    shown = [f"/inspections/{slug}/findings/{number}/" for slug, number in expected[320:340]]
    positions = [content.index(f'href="{url}"') for url in shown]
    assert positions == sorted(positions)
    # filtered lists page the same way as their full query would order them
    care_leavers = many.filter(service_areas__slug="care-leavers")
    assert api_numbers(client, {"service_area": "care-leavers"}) == expected_order(care_leavers)


def test_the_list_order_follows_a_corrected_start_date(client, many, harrow):
    harrow_paragraphs = [(harrow.slug, number) for number in range(1, 33)]
    for start, end, where in [
        (datetime.date(2010, 1, 4), datetime.date(2010, 1, 8), slice(-32, None)),  # oldest
        (datetime.date(2030, 1, 7), datetime.date(2030, 1, 11), slice(0, 32)),  # newest
    ]:
        harrow.start_date, harrow.end_date = start, end  # a correction made in the admin
        harrow.save()
        dates = Finding.objects.filter(inspection=harrow).values_list("listed_date", flat=True)
        assert set(dates) == {start}
        listed = api_numbers(client, {})
        assert listed[where] == harrow_paragraphs
        assert listed == expected_order(Finding.objects.all())


def test_new_findings_get_their_inspections_date_however_they_are_written(harrow):
    inspection = InspectionFactory(slug="later-2025-03", start_date=datetime.date(2025, 3, 3),
                                   end_date=datetime.date(2025, 3, 7))  # fmt: skip
    judgement = JudgementFactory(inspection=inspection)
    one = FindingFactory(judgement=judgement, number=1)
    Finding.objects.bulk_create(
        [Finding(inspection=inspection, judgement=judgement, number=2, text="Bulk written.")]
    )
    one.refresh_from_db()
    assert one.listed_date == datetime.date(2025, 3, 3)
    assert Finding.objects.get(inspection=inspection, number=2).listed_date == one.listed_date
    assert not Finding.objects.filter(listed_date__isnull=True).exists()
    # and the fixture's findings, loaded by loaddata, have Harrow's
    dates = set(Finding.objects.filter(inspection=harrow).values_list("listed_date", flat=True))
    assert dates == {datetime.date(2020, 2, 10)}


NEWEST_FIRST = "Too many findings match to sort them by relevance, so they are listed newest first."


def description(client, query):
    content = client.get("/findings/", query).content.decode()
    return content.split('id="result-description" role="status">')[1].split("<")[0]


def test_a_search_too_common_to_rank_comes_newest_first_everywhere(client, harrow, settings):
    query = {"q": "children"}
    ranked = html_numbers(client, query)
    assert len(ranked) > 5
    assert ranked != sorted(ranked)  # by relevance
    assert NEWEST_FIRST not in client.get("/findings/", query).content.decode()

    settings.SEARCH_RANK_LIMIT = 5
    listed = html_numbers(client, query)
    assert listed == sorted(ranked)  # the same findings, in paragraph order
    assert description(client, query) == f"{len(listed)} findings matching ‘children’"
    assert NEWEST_FIRST in client.get("/findings/", query).content.decode()
    assert api_numbers(client, query) == listed
    assert [(row["inspection"], int(row["paragraph"])) for row in csv_rows(client, query)] == listed
    # a narrower search under the limit is still ranked
    narrow = {"q": "radicalisation"}
    assert html_numbers(client, narrow) == [(harrow.slug, 3)]
    assert NEWEST_FIRST not in client.get("/findings/", narrow).content.decode()


def test_listed_date_is_not_in_the_history_or_the_api(client, harrow):
    finding = Finding.objects.get(inspection=harrow, number=24)
    assert "listed_date" not in {field.name for field in finding.history.model._meta.fields}
    body = client.get("/api/inspections/harrow-2020-02/findings/24/",
                      HTTP_ACCEPT="application/json").json()  # fmt: skip
    assert "listed_date" not in body
    assert Inspection.objects.get(pk=harrow.pk).findings.count() == 32


@pytest.fixture
def tied(harrow):
    """Harrow and five inspections all begun on the same day (ties on the date, broken by
    the inspection), of 11 to 15 findings whose paragraph numbers repeat across them (ties
    on the number): 97 findings, 5 pages, the last one short."""
    day = datetime.date(2024, 5, 13)
    for index, size in enumerate([11, 13, 15, 12, 14]):
        inspection = InspectionFactory(
            slug=f"tied-2024-{index + 1:02d}", start_date=day, end_date=day
        )
        judgement = JudgementFactory(inspection=inspection)
        for number in range(1, size + 1):
            FindingFactory(judgement=judgement, number=number, text=f"Children {number}.")
    return Finding.objects.all()


def numbers(findings):
    return list(findings.values_list("inspection__slug", "number"))


def page_of(client, query, page):
    content = client.get("/findings/", {**query, "page": page}).content.decode()
    found = re.findall(r'<h2[^>]*>\s*<a class="govuk-link" href="/inspections/([^/]+)/'
                       r'findings/(\d+)/">', content)  # fmt: skip
    return [(slug, int(number)) for slug, number in found]


@pytest.mark.parametrize(
    "query, order",
    [
        ({}, LIST_ORDER),
        ({"sort": "paragraph"}, ("number", *LIST_ORDER)),
        ({"sort": "council"}, ("inspection__local_authority__name", *LIST_ORDER)),
        ({"q": "children"}, LIST_ORDER),  # too common to rank (the limit below)
    ],
)
def test_pages_past_the_middle_read_from_the_end_are_the_offsets_pages(
    client, tied, settings, query, order
):
    """A page past the middle is read in the reverse order and turned round
    (harrow_inspection/paging.py): it holds exactly what the plain OFFSET of the list's
    order gives, on the last page, the page just past the middle and every other, with
    the ties above."""
    settings.SEARCH_RANK_LIMIT = 5
    findings = tied.filter(search_vector=SearchQuery("children", config="english"))
    findings = findings if "q" in query else tied
    count = findings.count()
    assert count > 60
    pages = -(-count // 20)
    for page in range(1, pages + 1):
        window = findings.order_by(*order)[(page - 1) * 20 : page * 20]
        assert page_of(client, query, page) == numbers(window), page
    assert api_numbers(client, query) == numbers(findings.order_by(*order))


def test_only_a_total_order_is_read_from_the_end(tied):
    assert total_order(Finding.objects.order_by(*LIST_ORDER))
    assert total_order(Finding.objects.order_by("-pk"))
    assert total_order(Finding.objects.all())  # Meta.ordering: inspection, number
    assert not total_order(Finding.objects.order_by("-listed_date", "inspection_id"))
    assert not total_order(Finding.objects.order_by("number"))
    # by a foreign key's name the rows follow the related model's ordering: not trusted
    assert not total_order(Finding.objects.order_by("inspection", "number"))
    assert not total_order(Finding.objects.order_by())
    assert not total_order(list(Finding.objects.order_by("pk")[:3]))
    assert not total_order(Finding.objects.all().union(Finding.objects.all()))


def test_counts_of_thousands_are_printed_with_a_comma(client, harrow):
    """Harrow and 40 synthetic inspections of 30 findings: over a thousand, printed as
    the heading prints them ("1,232 findings"), never "of 1232"."""
    call_command("generate_synthetic", councils=4, inspections=10, seed=4, verbosity=0)
    shown = f"{Finding.objects.count():,}"
    assert "," in shown
    listing = client.get("/findings/").content.decode()
    assert f"{shown} findings" in listing
    assert f"of {shown}</p>" in listing
    facet_counts = re.findall(r'class="app-facet__count">\(([\d,]+)<span', listing)
    assert facet_counts and not [n for n in facet_counts if re.fullmatch(r"\d{4,}", n)]
    # a facet's count in the thousands, as the filter panel prints it
    council = Facet("local_authority", "Council", [FacetValue("a", "A", 30_818, False)])
    assert "(30,818<span" in checkboxes(council)
