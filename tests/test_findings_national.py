"""The findings list at national scale (issue 16, items 1, 4, 5, 6): the filters that
tell the inspection's overall grade from the grade of the judgement a paragraph is under,
councils and regions, years and latest inspections, their facet counts in every
combination, the summary of filters applied, sort, the CSV's byte-order mark, name and
columns, the Atom feed of any search, and a search that reads typographic dashes as
hyphens."""

import csv
import datetime
import html
import io
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.http import QueryDict

from judgements.facets import FACETS, facets
from judgements.filters import FindingFilterSet
from judgements.models import Finding, Grade, JudgementArea, ServiceArea, ServiceAreaTag
from reports.importing.load import import_report
from reports.models import Inspection, LocalAuthority
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory
from tests.report_files import REPORTS

pytestmark = pytest.mark.django_db

FINDINGS = "/findings/"
ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(response):
    return response.content.decode()


def listed(response):
    """(council, month year, paragraph) of each finding listed on a findings page."""
    return re.findall(r'">([^<,]+), (\w+ \d{4}): paragraph (\d+)</a>', text_of(response))


def description(response):
    return re.search(r'id="result-description" role="status">(.*?)<', text_of(response))[1]


@pytest.fixture
def nation(harrow_history):
    """Harrow 2020 (Good overall) and 2025 (Inadequate, its latest), and a council in
    another region whose one inspection, in 2024, was inadequate overall though the
    judgement its findings are under was good."""
    authority = LocalAuthority.objects.get(slug="walsall")  # West Midlands
    inspection = InspectionFactory(local_authority=authority, slug="walsall-2024-01")
    areas = {area.slug: area for area in JudgementArea.objects.all()}
    JudgementFactory(
        inspection=inspection, area=areas["overall-effectiveness"], grade=Grade.INADEQUATE,
        table_position=4,
    )  # fmt: skip
    judgement = JudgementFactory(
        inspection=inspection, area=areas["care-leavers"], grade=Grade.GOOD, table_position=3
    )
    care_leavers = ServiceArea.objects.get(slug="care-leavers")
    for number in range(1, 4):
        finding = FindingFactory(
            judgement=judgement, number=number, text=f"Care leavers have pathway plans {number}."
        )
        ServiceAreaTag.objects.create(finding=finding, service_area=care_leavers)
    return inspection


def count(query):
    filterset = FindingFilterSet(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def test_care_leavers_findings_in_councils_whose_latest_overall_grade_is_inadequate(client, nation):
    query = {"service_area": "care-leavers", "overall_grade": "inadequate", "latest": "yes"}
    response = client.get(FINDINGS, query)
    found = listed(response)
    assert found, "Harrow 2025 and Walsall 2024 have care-leavers findings"
    assert {(council, when) for council, when, _ in found} <= {
        ("Harrow", "January 2025"),
        ("Walsall", "January 2024"),
    }
    walsall = listed(client.get(FINDINGS, {**query, "region": "west-midlands"}))
    assert walsall == [("Walsall", "January 2024", str(n)) for n in (1, 2, 3)]
    assert count("service_area=care-leavers&overall_grade=inadequate&latest=yes") == len(
        Finding.objects.filter(
            inspection__slug__in=["harrow-2025-01", "walsall-2024-01"],
            service_areas__slug="care-leavers",
        )
    )
    assert description(response).endswith(
        "about care leavers in inspections graded inadequate overall (latest inspections only)"
    )
    # Harrow 2020 was good overall: not there, nor when asking for every inspection
    assert not count("overall_grade=inadequate&inspection=harrow-2020-02")
    assert (
        count("overall_grade=good")
        == Finding.objects.filter(inspection__slug="harrow-2020-02").count()
    )


def test_the_judgement_grade_is_not_the_overall_grade(client, nation):
    """Walsall's findings stand under a judgement graded good in an inspection graded
    inadequate overall: the two filters give different answers, and each result says
    which grade is which."""
    assert count("local_authority=walsall&judgement_grade=good") == 3
    assert count("local_authority=walsall&overall_grade=good") == 0
    content = text_of(client.get(FINDINGS, {"local_authority": "walsall"}))
    assert "which the inspection graded <strong" in content
    assert re.search(r"Inspection’s overall grade: <strong[^>]*>Inadequate</strong>", content)
    assert "Grade of the judgement this paragraph is under" in content


def test_the_old_grade_parameter_still_works(client, nation):
    response = client.get(FINDINGS, {"grade": "good", "service_area": "care-leavers"})
    assert response.status_code == 301
    assert response["Location"] == "/findings/?service_area=care-leavers&judgement_grade=good"
    api = client.get("/api/findings/", {"grade": "good"}).json()
    assert api["count"] == count("judgement_grade=good")


def test_several_councils_regions_and_years(nation):
    assert count("local_authority=harrow&local_authority=walsall") == Finding.objects.count()
    assert (
        count("region=london")
        == Finding.objects.filter(inspection__local_authority__slug="harrow").count()
    )
    assert count("region=west-midlands") == 3
    assert count("year=2024") == 3
    assert count("year=2020&year=2024") == 32 + 3
    assert count("year=2019") == 0


COMBINATION_PARTS = [
    "service_area=care-leavers",
    "overall_grade=inadequate",
    "latest=yes",
    "region=london",
    "year=2020",
    "judgement_grade=good",
    "local_authority=walsall&local_authority=harrow",
    "q=children",
    "judgement_area=care-leavers",
]


@pytest.mark.parametrize(
    "query",
    ["", *COMBINATION_PARTS, *("&".join(p) for p in itertools.combinations(COMBINATION_PARTS, 2))],
)
@pytest.mark.parametrize("list_size", [None, 0], ids=["counted together", "one by one"])
def test_facet_counts_are_what_choosing_the_value_gives(nation, query, list_size):
    """Every count beside every value of every facet, under every pair of filters: the
    number of findings the list has when that value is added to the other filters.
    Both ways of counting: together (GROUPING SETS, for long lists) and one by one."""
    data = QueryDict(query)
    filterset = FindingFilterSet(data)
    assert filterset.is_valid()
    shown = facets(data, filterset, count=list_size)
    assert [facet.parameter for facet in shown] == list(FACETS)
    for facet in shown:
        for value in facet.values:
            others = data.copy()
            others.setlist(facet.parameter, [value.slug])
            assert value.count == count(others.urlencode()), (facet.parameter, value.slug)
            if value.selected:
                assert facet.values.index(value) < len(facet.selected)  # chosen first


def test_summary_of_filters_applied_each_removable(client, nation):
    query = "service_area=care-leavers&overall_grade=inadequate&latest=yes&q=plans&sort=council"
    content = text_of(client.get(f"{FINDINGS}?{query}"))
    summary = re.search(r'id="applied-heading">(.*?)</ul>', content, re.S)[1]
    links = dict(
        (re.sub(r"<[^>]+>", "", name).replace("Remove filter ", "").rstrip(" \u00d7"), href)
        for href, name in re.findall(r'href="\?([^"]*)">(.*?)</a>', summary, re.S)
    )
    assert links == {
        "Search: ‘plans’": "service_area=care-leavers&amp;overall_grade=inadequate&amp;"
        "latest=yes&amp;sort=council",
        "Overall grade of the inspection: Inadequate": "service_area=care-leavers&amp;"
        "latest=yes&amp;q=plans&amp;sort=council",
        "Service area: Care leavers": "overall_grade=inadequate&amp;latest=yes&amp;"
        "q=plans&amp;sort=council",
        "Inspections: Latest inspection only": "service_area=care-leavers&amp;"
        "overall_grade=inadequate&amp;q=plans&amp;sort=council",
    }


def test_showing_a_range_of_the_total(client, nation):
    total = Finding.objects.count()
    first = text_of(client.get(FINDINGS))
    assert f"Showing 1\u201320 of {total:,}</p>" in first
    second = text_of(client.get(FINDINGS, {"page": 2}))
    assert f"Showing 21\u201340 of {total:,}</p>" in second


def test_sort_orders(client, nation):
    newest = listed(client.get(FINDINGS))
    assert newest[0][:2] == ("Harrow", "January 2025")
    by_council = listed(client.get(FINDINGS, {"sort": "council", "year": ["2020", "2024"]}))
    assert by_council[0] == ("Harrow", "February 2020", "1")
    assert listed(client.get(FINDINGS, {"sort": "council", "year": "2024"}))[0][0] == "Walsall"
    by_paragraph = listed(client.get(FINDINGS, {"sort": "paragraph"}))
    assert [int(n) for _, _, n in by_paragraph[:3]] == [1, 1, 1]  # the newest report's first
    assert by_paragraph[0][:2] == ("Harrow", "January 2025")
    content = text_of(client.get(FINDINGS, {"q": "pathway"}))
    assert '<option value="relevance" selected>' in content
    assert 'value="relevance"' not in text_of(client.get(FINDINGS))  # nothing to rank by
    # relevance without a search is the default order, not an error
    assert listed(client.get(FINDINGS, {"sort": "relevance"})) == newest


def test_findings_page_query_count_is_fixed_whatever_the_filters_and_the_data(
    client, nation, django_assert_max_num_queries
):
    query = {"service_area": "care-leavers", "overall_grade": "inadequate", "latest": "yes",
             "region": "west-midlands", "year": "2024", "q": "leavers",
             "sort": "council"}  # fmt: skip
    # as without filters (tests/test_pages.py), and the service area's slug looked up
    with django_assert_max_num_queries(15) as small:
        before = client.get(FINDINGS, query).context["page"].paginator.count
    # 60 more findings that every one of those filters lists: a query per row would show
    judgement = nation.judgements.get(area__slug="care-leavers")
    care_leavers = ServiceArea.objects.get(slug="care-leavers")
    for number in range(10, 70):
        finding = FindingFactory(judgement=judgement, number=number, text="Care leavers are seen.")
        ServiceAreaTag.objects.create(finding=finding, service_area=care_leavers)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(FINDINGS, query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == before + 60


# CSV


def read_csv(response):
    body = b"".join(response.streaming_content)
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_named_for_what_it_holds_with_the_date_and_overall_grade(client, nation):
    query = {"service_area": "care-leavers", "overall_grade": "inadequate", "latest": "yes"}
    response = client.get("/findings.csv", query)
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="findings-care-leavers-inadequate-latest-{today}.csv"'
    )
    body, rows = read_csv(response)
    assert not body.startswith(b"\xef\xbb\xbf")  # no byte-order mark unless asked for
    walsall = [row for row in rows if row["local_authority"] == "Walsall"]
    assert {row["inspection_date"] for row in walsall} == {"2024-01-08"}
    assert {row["overall_grade"] for row in rows} == {"Inadequate"}
    assert {row["grade"] for row in walsall} == {"Good"}  # the judgement's grade


def test_csv_byte_order_mark_on_request(client, harrow):
    body, rows = read_csv(client.get("/findings.csv", {"bom": "1", "service_area": "fostering"}))
    assert body.startswith(b"\xef\xbb\xbfinspection,")
    assert next(iter(rows[0])) == "inspection"
    assert client.get("/findings.csv", {"bom": "yes"}).status_code == 400


def test_csv_file_names_are_safe_and_bounded(client, harrow):
    response = client.get("/findings.csv", {"q": '"care leavers" -housing/../' + "x" * 150})
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"])[1]
    assert re.fullmatch(r"findings-search-care-leavers-housingx+-\d{4}-\d\d-\d\d\.csv", name)
    assert len(name) <= 140


def test_no_download_link_for_an_empty_result(client, harrow):
    empty = text_of(client.get(FINDINGS, {"q": "zzzzunheardof"}))
    assert "findings.csv" not in empty
    assert "No findings match" in empty
    assert "findings.csv" in text_of(client.get(FINDINGS, {"q": "children"}))


# The Atom feed


def parse_atom(response):
    """The feed, checked against what RFC 4287 requires of a feed and of each entry."""
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 - the site's own answer
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        for required in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{required}") is not None, (element.tag, required)
        datetime.datetime.fromisoformat(element.find(f"{ATOM}updated").text)
        assert element.find(f"{ATOM}link[@rel='alternate']") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):  # no author on the feed: each entry has one
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    return feed


def test_any_findings_search_is_an_atom_feed(client, nation):
    query = "service_area=care-leavers&overall_grade=inadequate&latest=yes"
    page = text_of(client.get(f"{FINDINGS}?{query}&sort=council&page=1"))
    feed_link = f"/findings/feed/?{query.replace('&', '&amp;')}"
    assert '<link rel="alternate" type="application/atom+xml" title="Atom feed: ' in page
    assert f'href="{feed_link}"' in page
    assert re.search(
        rf'<a class="govuk-link" href="{re.escape(feed_link)}">Follow this search', page
    )
    feed = parse_atom(client.get(f"/findings/feed/?{query}"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == count(query)
    first = entries[0]
    assert first.find(f"{ATOM}title").text.startswith("Harrow, January 2025: paragraph ")
    number = int(first.find(f"{ATOM}title").text.rsplit(" ", 1)[1])
    finding = Finding.objects.get(inspection__slug="harrow-2025-01", number=number)
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert html.unescape(summary.text) == finding.text  # verbatim
    assert first.find(f"{ATOM}id").text == (
        f"http://testserver/inspections/harrow-2025-01/findings/{number}/"
    )
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == f"http://testserver/findings/?{query}"


def test_text_typed_with_markup_is_text_in_the_feed(client, harrow):
    finding = Finding.objects.get(number=24)
    finding.text = "Plans <script>alert(1)</script> & reviews."
    finding.save()
    feed = parse_atom(
        client.get("/findings/feed/", {"q": "reviews", "inspection": "harrow-2020-02"})
    )
    summaries = [entry.find(f"{ATOM}summary").text for entry in feed.findall(f"{ATOM}entry")]
    assert "Plans &lt;script&gt;alert(1)&lt;/script&gt; &amp; reviews." in summaries


def test_a_feed_of_bad_filters_is_a_400_and_an_empty_one_is_still_a_feed(client, harrow):
    assert client.get("/findings/feed/", {"overall_grade": "excellent"}).status_code == 400
    feed = parse_atom(client.get("/findings/feed/", {"q": "zzzzunheardof"}))
    assert feed.findall(f"{ATOM}entry") == []


def test_feed_query_count_is_fixed(client, nation, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as small:
        client.get("/findings/feed/", {"service_area": "care-leavers"})
    judgement = nation.judgements.get(area__slug="care-leavers")
    care_leavers = ServiceArea.objects.get(slug="care-leavers")
    for number in range(10, 80):
        finding = FindingFactory(judgement=judgement, number=number, text="Care leavers.")
        ServiceAreaTag.objects.create(finding=finding, service_area=care_leavers)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/findings/feed/", {"service_area": "care-leavers"})


# Search that finds what is printed


@pytest.fixture
def southwark(db, shared_reports_parsed_once):
    import_report(path=REPORTS / "southwark-published-2026-05-18.pdf")
    return Inspection.objects.get(local_authority__slug="southwark")


def test_a_phrase_with_a_hyphen_finds_the_paragraph_printed_with_a_non_breaking_one(
    client, southwark
):
    paragraph = Finding.objects.get(inspection=southwark, number=57)
    assert "multi\u2011agency response" in paragraph.text  # verbatim, as printed
    found = listed(client.get(FINDINGS, {"q": '"multi-agency response"'}))
    assert ("Southwark", f"{southwark.start_date:%B %Y}", "57") in found
    # and typed with the non-breaking hyphen, or an en dash, or curly quotes, the same
    for typed in ('"multi\u2011agency response"', "\u201cmulti\u2013agency response\u201d"):
        assert ("Southwark", f"{southwark.start_date:%B %Y}", "57") in listed(
            client.get(FINDINGS, {"q": typed})
        ), typed
    page = text_of(client.get(paragraph.get_absolute_url()))
    assert "multi\u2011agency response" in page  # shown as printed


def test_curly_quotes_and_ligatures_in_stored_text_are_found_by_plain_words(harrow):
    finding = Finding.objects.get(number=24)
    finding.text = (
        "The \ufb01ngerprinted \u201czebra crossing\u201d o\ufb00shoot is the council\u2019s."
    )
    finding.save()
    for words in ['"fingerprinted"', "offshoot", '"zebra crossing"', "council's offshoot"]:
        assert count(f"q={words}&inspection=harrow-2020-02") == 1, words
    finding.refresh_from_db()
    assert finding.text.startswith("The \ufb01ngerprinted \u201czebra")  # stored as typed
