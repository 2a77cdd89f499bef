"""Councils compared (regions, statistical neighbours, national distributions by year),
reports that say where they stand, Atom feeds, citations, canonical addresses and the API
documentation: what each page says, its fixed query count, and its answers to bad input."""

import csv
import datetime
import io
import re

import feedparser
import pytest

from harrow_inspection import data_version
from judgements.models import Grade, JudgementArea
from reports.filters import latest_inspections
from reports.models import Inspection, LocalAuthority
from reports.views import probably_superseded_before
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

COMPARISON = "/local-authorities/"


def text_of(response):
    return response.content.decode()


def table_rows(response, table_id="comparison"):
    """The council names of a comparison table, in order."""
    table = re.search(rf'id="{table_id}">(.*?)</table>', text_of(response), re.S)[1]
    return re.findall(r'<th scope="row"[^>]*><a class="govuk-link" href="[^"]+">([^<]+)</a>', table)


def inspect(slug, framework="ilacs", start=datetime.date(2024, 1, 8), **grades):
    """An inspection of the council `slug` (from the councils table) with these grades
    (area slug with "_" for "-" -> Grade)."""
    authority = LocalAuthority.objects.get(slug=slug)
    inspection = InspectionFactory(
        local_authority=authority,
        slug=f"{slug}-{start:%Y-%m}",
        framework=framework,
        start_date=start,
        end_date=start + datetime.timedelta(days=11),
        published_on=start + datetime.timedelta(days=50),
        source_url=f"https://files.ofsted.gov.uk/v1/file/{slug}",
    )
    for position, (area, grade) in enumerate(grades.items(), start=1):
        JudgementFactory(
            inspection=inspection,
            area=JudgementArea.objects.get(slug=area.replace("_", "-")),
            grade=grade,
            table_position=position,
        )
    return inspection


NEW_FRAMEWORK = {
    "help_and_protection": Grade.GOOD,
    "children_in_care": Grade.OUTSTANDING,
    "care_leavers": Grade.GOOD,
    "impact_of_leaders": Grade.GOOD,
    "overall_effectiveness": Grade.GOOD,
}


@pytest.fixture
def neighbours(harrow):
    """Harrow 2020 (the fixture: care leavers judged with children in care) and two of
    its statistical neighbours, judged apart; and a council elsewhere."""
    inspect("redbridge", **NEW_FRAMEWORK)
    inspect("hillingdon", **{**NEW_FRAMEWORK, "overall_effectiveness": Grade.INADEQUATE})
    inspect("leeds", start=datetime.date(2023, 5, 1), **NEW_FRAMEWORK)
    return harrow


def test_harrow_and_its_statistical_neighbours(client, neighbours):
    response = client.get(COMPARISON, {"neighbours_of": "harrow"})
    content = text_of(response)
    assert '<h1 class="govuk-heading-xl">Harrow and its ten statistical neighbours</h1>' in content
    assert table_rows(response) == ["Harrow", "Hillingdon", "Redbridge"]
    # The eight others are named as not held, not silently left out.
    missing = re.search(r"No ILACS inspection of (.*?) is held here yet", content, re.S)[1]
    for name in ["Barnet", "Ealing", "Milton Keynes"]:
        assert name in missing
    assert "Leeds" not in table_rows(response)


def test_neighbours_in_a_region_name_as_missing_only_the_regions_councils(client, neighbours):
    # Harrow's neighbours outside London (Milton Keynes) were named as "not held", though
    # it was the region that left them out
    content = text_of(client.get(COMPARISON, {"neighbours_of": "harrow", "region": "london"}))
    missing = re.search(r"No ILACS inspection of (.*?) is held here yet", content, re.S)[1]
    assert "Barnet" in missing and "Ealing" in missing
    assert "Milton Keynes" not in missing
    # the region's feed is every London council's, not the neighbours': not offered as theirs
    assert "/regions/london/feed/" not in content
    assert "/regions/london/feed/" in text_of(client.get(COMPARISON, {"region": "london"}))


def test_a_latest_inspection_over_three_and_a_half_years_old_is_marked(client, neighbours):
    # a journalist's "currently inadequate" list held Middlesbrough's 2019 grade, with
    # nothing saying a later report was probably missing
    inspect("barnet", start=datetime.date.today() - datetime.timedelta(days=60), **NEW_FRAMEWORK)
    response = client.get(COMPARISON)
    content = text_of(response)
    note = "over 3½ years ago: a later report is probably not held here yet"

    def latest_cell(name):
        row = re.search(rf">{name}</a></th>(.*?)</td>", content, re.S)[1]
        return re.sub(r"<[^>]+>", "", row)

    assert note in latest_cell("Harrow")  # February 2020
    assert note not in latest_cell("Barnet")
    held = Inspection.objects.count()
    assert f"This database holds {held} inspection reports of both frameworks" in content
    older_than = probably_superseded_before()
    old = [row for row in table_rows(response) if note in latest_cell(row)]
    assert "Harrow" in old and "Leeds" in old  # February 2020, May 2023
    assert len(old) == sum(i.start_date < older_than for i in latest_inspections())
    assert f"(for {len(old)} councils) the table says so" in content


def test_a_council_without_statistical_neighbours_says_so(client, harrow):
    response = client.get(COMPARISON, {"neighbours_of": "bournemouth"})  # closed in 2019
    assert response.status_code == 200
    assert "Bournemouth (no statistical neighbours listed)" in text_of(response)


def test_the_2020_joint_judgement_fills_both_columns_and_says_so(client, neighbours):
    content = text_of(client.get(COMPARISON, {"neighbours_of": "harrow"}))
    harrow = re.search(
        r'href="/local-authorities/harrow/">Harrow</a></th>(.*?)</tr>', content, re.S
    )
    cells = re.findall(r'data-label="([^"]+)"><span>(.*?)</span></td>', harrow[1], re.S)
    labels = [label for label, _ in cells]
    assert labels == [
        "Latest inspection", "Help and protection", "Children in care", "Care leavers",
        "Impact of leaders", "Overall effectiveness",
    ]  # fmt: skip
    by_label = dict(cells)
    assert ">Good</strong>" in by_label["Care leavers"]
    assert "judged with children in care" in by_label["Care leavers"]
    assert "judged with care leavers" in by_label["Children in care"]
    assert "not judged" not in harrow[1]


def test_sorting_by_a_judgement_counts_the_joint_grade(client, neighbours):
    response = client.get(COMPARISON, {"neighbours_of": "harrow", "sort": "children-in-care"})
    assert table_rows(response) == ["Hillingdon", "Redbridge", "Harrow"]  # outstanding first
    response = client.get(COMPARISON, {"neighbours_of": "harrow", "sort": "overall-effectiveness"})
    assert table_rows(response)[-1] == "Hillingdon"  # inadequate last
    sorted_by = re.search(
        r'aria-sort="ascending"><a class="govuk-link app-header-link" href="([^"]+)">([^<]+)<',
        text_of(response),
    )
    assert sorted_by.groups() == (
        "?neighbours_of=harrow&amp;sort=overall-effectiveness",
        "Overall effectiveness",
    )


def test_a_region(client, neighbours):
    response = client.get(COMPARISON, {"region": "london"})
    assert table_rows(response) == ["Harrow", "Hillingdon", "Redbridge"]
    content = text_of(response)
    assert '<h1 class="govuk-heading-xl">London</h1>' in content
    assert 'href="/regions/london/feed/"' in content
    yorkshire = client.get(COMPARISON, {"region": "yorkshire-and-the-humber"})
    assert table_rows(yorkshire) == ["Leeds"]


def test_the_api_gives_the_same_councils_in_the_same_order(client, neighbours):
    for query in [
        {"neighbours_of": "harrow", "sort": "overall-effectiveness"},
        {"region": "london"},
    ]:
        page = table_rows(client.get(COMPARISON, query))
        api = client.get("/api/comparison/", query).json()
        assert [row["local_authority_name"] for row in api["results"]] == page


def test_the_page_links_its_json(client, neighbours):
    content = text_of(client.get(COMPARISON, {"region": "london"}))
    assert 'href="/api/comparison/?region=london">This table as JSON</a>' in content


@pytest.mark.parametrize(
    "query",
    [{"region": "atlantis"}, {"neighbours_of": "nowhere"}, {"sort": "<script>"}],
    ids=str,
)
def test_an_unknown_region_or_council_is_a_clear_400(client, harrow, query):
    response = client.get(COMPARISON, query)
    assert response.status_code == 400
    assert "Traceback" not in text_of(response)
    assert client.get("/api/comparison/", query).status_code == 400


def test_only_ilacs_inspections_are_compared(client, neighbours):
    inspect("leeds", framework="sif", start=datetime.date(2025, 1, 1),
            overall_effectiveness=Grade.INADEQUATE)  # fmt: skip
    response = client.get(COMPARISON, {"region": "yorkshire-and-the-humber"})
    assert 'href="/inspections/leeds-2023-05/">May 2023</a>' in text_of(response)


def test_grades_by_year_of_inspection(client, neighbours):
    content = text_of(client.get(COMPARISON))
    table = re.search(
        r"Overall effectiveness: inspections by grade and year</caption>(.*?)</table>",
        content, re.S,
    )[1]  # fmt: skip
    rows = re.findall(r'<th scope="row"[^>]*>(\d{4})</th>(.*?)</tr>', table, re.S)
    counts = {year: re.findall(r">(\d+)</td>", cells) for year, cells in rows}
    # outstanding, good, requires improvement, inadequate, all
    assert counts == {
        "2020": ["0", "1", "0", "0", "1"],
        "2023": ["0", "1", "0", "0", "1"],
        "2024": ["0", "1", "0", "1", "2"],
    }


def test_comparison_query_count_does_not_grow_with_the_councils(
    client, neighbours, django_assert_max_num_queries
):
    # every council's latest grades (inspections, judgements), the areas, the table's rows
    # (inspections, judgements), the neighbours' drop-down, the counts by year, ...
    with django_assert_max_num_queries(8 + 1) as few:  # + 1: the data version (ETag)
        client.get(COMPARISON, {"region": "london", "sort": "care-leavers"})
    for slug in ["barnet", "ealing", "merton", "camden", "hackney", "brent", "croydon"]:
        inspect(slug, **NEW_FRAMEWORK)
        inspect(slug, start=datetime.date(2019, 3, 4), help_and_protection=Grade.GOOD)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(COMPARISON, {"region": "london", "sort": "care-leavers"})
    assert len(table_rows(response)) == 10


def test_a_superseded_report_says_so_and_links_to_the_latest(client, harrow_history):
    content = text_of(client.get("/inspections/harrow-2020-02/"))
    status = re.search(r'id="report-status">(.*?)</div>\s*</div>', content, re.S)[1]
    assert "superseded by the inspection of" in status
    assert 'href="/inspections/harrow-2025-01/">January 2025</a>' in status
    assert "graded inadequate for overall effectiveness" in status
    assert 'href="/inspections/harrow-2025-01/" rel="next"' in content
    assert 'href="/local-authorities/harrow/">Harrow: every inspection' in content
    assert 'href="/api/inspections/harrow-2020-02/">This report as JSON' in content
    assert 'href="https://files.ofsted.gov.uk/v1/file/50149055">Ofsted’s report (PDF)' in content
    assert "Published 16 March 2020 by Ofsted" in content
    feed = 'title="New inspections of Harrow" href="/local-authorities/harrow/feed/"'
    assert f'<link rel="alternate" type="application/atom+xml" {feed}>' in content

    latest = text_of(client.get("/inspections/harrow-2025-01/"))
    assert "This is Harrow’s latest inspection held here." in latest
    assert 'href="/inspections/harrow-2020-02/" rel="prev"' in latest
    assert 'rel="next"' not in latest


def test_inspection_page_query_count_does_not_grow_with_the_councils_inspections(
    client, harrow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10 + 2) as few:  # the data version, SIF summaries
        client.get("/inspections/harrow-2020-02/")
    for year in range(2021, 2027):
        inspect("harrow", start=datetime.date(year, 6, 1), **NEW_FRAMEWORK)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = text_of(client.get("/inspections/harrow-2020-02/"))
    assert 'href="/inspections/harrow-2026-06/">June 2026</a>' in content


def test_council_chart_is_honest_about_judgements_made_together(client, harrow_history):
    content = text_of(client.get("/local-authorities/harrow/"))
    table = re.search(r'id="grade-history">(.*?)</table>', content, re.S)[1]
    rows = dict(re.findall(r'<th scope="row"[^>]*>([^<]+)</th>(.*?)</tr>', table, re.S))
    february_2020 = 'data-label="February 2020"><span>(.*?)</span></td>'
    assert "judged with children in care" in re.search(february_2020, rows["Care leavers"])[1]
    assert "judged with care leavers" in re.search(february_2020, rows["Children in care"])[1]
    assert "not judged" not in rows["Care leavers"] + rows["Children in care"]
    january_2025 = 'data-label="January 2025"><span>(.*?)</span></td>'
    joint = re.search(january_2025, rows["Children in care and care leavers"])[1]
    assert "judged separately" in joint
    # Every series has its own marker shape and dash pattern, and the axes are named.
    chart = re.search(r"<svg viewBox(.*?)</svg>", content, re.S)[1]
    markers = re.findall(r'<path class="app-grade-chart__marker app-series--(\d)"', chart)
    lines = re.findall(r'stroke-dasharray="([^"]*)"', chart)
    assert len(set(markers)) == 6 and len(set(lines)) == 6
    assert ">Inspection</text>" in chart and ">Grade</text>" in chart
    assert "<title>Care leavers, January 2025: Inadequate</title>" in chart


def test_council_page_query_count_does_not_grow_with_its_inspections(
    client, harrow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8 + 1) as few:  # + 1: the data version (ETag)
        client.get("/local-authorities/harrow/")
    for year in range(2021, 2027):
        inspect("harrow", start=datetime.date(year, 6, 1), **NEW_FRAMEWORK)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = text_of(client.get("/local-authorities/harrow/"))
    assert "June 2026" in content


def read_feed(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_feeds_of_new_inspections(client, neighbours):
    everyone = read_feed(client, "/inspections/feed/")
    titles = [entry.title for entry in everyone.entries]
    assert titles == [
        "Hillingdon, January 2024: Inadequate",
        "Redbridge, January 2024: Good",
        "Leeds, May 2023: Good",
        "Harrow, February 2020: Good",
    ]
    assert "Open Government Licence" in everyone.feed.rights  # Atom's <rights>
    harrow = everyone.entries[-1]
    assert harrow.link == "http://testserver/inspections/harrow-2020-02/"
    assert harrow.published_parsed[:3] == (2020, 3, 16)
    assert "Overall effectiveness: Good" in harrow.summary
    assert [link.href for link in harrow.links if link.rel == "related"] == [
        "https://files.ofsted.gov.uk/v1/file/50149055"
    ]
    london = read_feed(client, "/regions/london/feed/")
    assert {entry.title.split(",")[0] for entry in london.entries} == {
        "Harrow", "Hillingdon", "Redbridge",
    }  # fmt: skip
    assert london.feed.title == "New inspections in London"
    one = read_feed(client, "/local-authorities/redbridge/feed/")
    assert [entry.title for entry in one.entries] == ["Redbridge, January 2024: Good"]
    assert client.get("/regions/atlantis/feed/").status_code == 404
    assert client.get("/local-authorities/atlantis/feed/").status_code == 404


def test_feed_query_count_does_not_grow_with_the_inspections(
    client, neighbours, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3) as few:  # data version (ETag), inspections, judgements
        client.get("/inspections/feed/")
    for slug in ["barnet", "ealing", "merton", "camden", "hackney"]:
        inspect(slug, **NEW_FRAMEWORK)
    with django_assert_max_num_queries(len(few.captured_queries)):
        feed = feedparser.parse(client.get("/inspections/feed/").content)
    assert len(feed.entries) == 9


@pytest.mark.parametrize("number", ["024", "0024", "00024"])
def test_a_zero_padded_paragraph_redirects_permanently(client, harrow, number):
    response = client.get(f"/inspections/harrow-2020-02/findings/{number}/")
    assert response.status_code == 301
    assert response["Location"] == "/inspections/harrow-2020-02/findings/24/"


def test_a_finding_cites_itself_as_text_ris_and_bibtex(client, harrow):
    content = text_of(client.get("/inspections/harrow-2020-02/findings/24/"))
    url = "http://testserver/inspections/harrow-2020-02/findings/24/"
    assert f'<link rel="canonical" href="{url}">' in content
    ris = re.search(
        r'<pre class="app-citation__text" id="citation-ris">(.*?)</pre>', content, re.S
    )[1]
    assert ris.splitlines() == [
        "TY  - RPRT",
        "AU  - Ofsted",
        "TI  - Harrow: Inspection of children&#x27;s social care services",
        "PY  - 2020",
        "DA  - 2020/03/16",
        "PB  - Ofsted",
        "SE  - Paragraph 24",
        "N1  - Inspection dates 10 February 2020 to 14 February 2020, paragraph 24.",
        f"UR  - {url}",
        "L1  - https://files.ofsted.gov.uk/v1/file/50149055",
        "ER  -",
    ]
    bibtex = re.search(r'id="citation-bibtex">(.*?)</pre>', content, re.S)[1]
    assert bibtex.startswith("@techreport{ofsted-harrow-2020-02-p24,\n  author = {{Ofsted}},")
    assert f"  url = {{{url}}}\n}}" in bibtex
    # The copy buttons are hidden until site.js shows them (no script, no button).
    assert content.count('<p class="app-copy app-no-print" hidden><button type="button"') == 3


def test_the_citation_escapes_what_bibtex_would_read_as_markup():
    from judgements.citation import bibtex_text

    assert bibtex_text("Children & young people: 100% {care}_plan") == (
        r"Children \& young people: 100\% \{care\}\_plan"
    )


def test_api_docs_are_a_page_of_the_site_without_scripts(client, harrow):
    response = client.get("/api/docs/")
    content = text_of(response)
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "<script" not in content.replace(
        '<script type="module" src="/static/reports/site.js"></script>', ""
    )
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in content
    assert "<code>neighbours_of</code>" in content
    assert "<li><code>requires-improvement</code> - Requires improvement to be good</li>" in content
    assert "&#x27;text&#x27;" not in content  # descriptions as paragraphs, not as data
    assert 'id="schema-Comparison"' in content
    home = text_of(client.get("/"))
    assert 'href="/api/docs/">Open data: API documentation</a>' in home


def test_a_feed_kept_by_the_page_cache_is_still_a_feed(client, harrow, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/inspections/feed/")
    again = client.get("/inspections/feed/")
    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Type"].startswith("application/atom+xml")
    assert again.content == first.content


def spreadsheet(response):
    """A CSV download's rows as dicts, with its byte-order mark if it has one."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return text.startswith("\ufeff"), list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_every_inspections_grades_as_a_spreadsheet(client, neighbours):
    inspect("leeds", framework="sif", start=datetime.date(2015, 3, 2),
            sif_overall=Grade.REQUIRES_IMPROVEMENT, sif_lscb=Grade.GOOD)  # fmt: skip
    response = client.get("/inspections.csv")
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="inspections-{today}.csv"'
    etag = response["ETag"]
    bom, rows = spreadsheet(response)
    assert not bom
    assert [(row["local_authority"], row["first_day"]) for row in rows] == [
        ("Harrow", "2020-02-10"), ("Hillingdon", "2024-01-08"), ("Leeds", "2015-03-02"),
        ("Leeds", "2023-05-01"), ("Redbridge", "2024-01-08"),
    ]  # fmt: skip
    harrow = rows[0]
    assert harrow["url"] == "http://testserver/inspections/harrow-2020-02/"
    assert (harrow["ons_code"], harrow["dfe_code"], harrow["region"]) == (
        "E09000015", "310", "London",
    )  # fmt: skip
    # Harrow 2020 judged children in care and care leavers together: one column, as the
    # report has it, and no SIF column holds an ILACS grade.
    assert {key: value for key, value in harrow.items() if key.startswith("grade_") and value} == {
        "grade_help_and_protection": "Good",
        "grade_children_in_care_and_care_leavers": "Good",
        "grade_impact_of_leaders": "Good",
        "grade_overall_effectiveness": "Good",
    }
    assert harrow["overall_grade"] == "Good"
    assert harrow["attribution"].endswith("Open Government Licence v3.0. © Crown copyright 2020")
    sif = rows[2]
    assert (sif["framework"], sif["overall_grade"]) == ("sif", "Requires improvement to be good")
    assert (sif["grade_sif_lscb"], sif["grade_overall_effectiveness"]) == ("Good", "")
    hillingdon = rows[1]
    assert hillingdon["grade_overall_effectiveness"] == "Inadequate"
    assert hillingdon["grade_children_in_care"] == "Outstanding"
    # one council's, or one framework's, as /api/inspections/ takes them
    response = client.get("/inspections.csv", {"local_authority": "leeds", "framework": "sif"})
    name = f"inspections-leeds-sif-{today}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert [row["inspection"] for row in spreadsheet(response)[1]] == ["leeds-2015-03"]
    _, leeds = spreadsheet(client.get("/inspections.csv", {"local_authority": "leeds"}))
    assert [row["inspection"] for row in leeds] == ["leeds-2015-03", "leeds-2023-05"]
    # the data version's ETag: a client that has this version is told so
    again = client.get("/inspections.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # never by date: a release that changes the file's columns would be answered 304
    since = client.get("/inspections.csv", HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT")
    assert since.status_code == 200


def test_the_comparison_as_a_spreadsheet_has_the_pages_councils_in_its_order(client, neighbours):
    for query, name in [
        ({"neighbours_of": "harrow", "sort": "overall-effectiveness"},
         "local-authorities-harrow-overall-effectiveness"),
        ({"region": "london", "grade": "good"}, "local-authorities-london-good"),
        ({"sort": "children-in-care"}, "local-authorities-children-in-care"),
        ({}, "local-authorities"),
    ]:  # fmt: skip
        page = table_rows(client.get(COMPARISON, query))
        response = client.get("/local-authorities.csv", query)
        today = datetime.date.today().isoformat()
        assert response["Content-Disposition"] == f'attachment; filename="{name}-{today}.csv"'
        _, rows = spreadsheet(response)
        assert [row["local_authority"] for row in rows] == page, query
    assert page == ["Harrow", "Hillingdon", "Leeds", "Redbridge"]


def test_the_pages_link_their_spreadsheets_with_a_byte_order_mark_for_excel(client, neighbours):
    council = text_of(client.get("/local-authorities/harrow/"))
    link = re.search(r'href="([^"]+)" download>Harrow’s grades \(CSV\)', council)[1]
    bom, rows = spreadsheet(client.get(link.replace("&amp;", "&")))
    assert bom
    assert [row["inspection"] for row in rows] == ["harrow-2020-02"]
    home = text_of(client.get("/"))
    assert 'href="/inspections.csv?bom=1" download>Download every inspection’s grades' in home
    content = text_of(client.get(COMPARISON, {"region": "london", "sort": "date"}))
    link = re.search(r'href="([^"]+)" download>Download this table \(CSV\)', content)[1]
    assert link == "/local-authorities.csv?region=london&amp;sort=date&amp;bom=1"
    bom, rows = spreadsheet(client.get(link.replace("&amp;", "&")))
    assert bom
    assert [row["local_authority"] for row in rows] == ["Hillingdon", "Redbridge", "Harrow"]
    docs = text_of(client.get("/api/docs/"))
    downloads = re.search(r'id="downloads">(.*?)<h2', docs, re.S)[1]
    addresses = ["/findings.csv", "/findings.json", "/inspections.csv", "/local-authorities.csv"]
    for address in addresses:
        assert f'href="{address}"' in downloads


@pytest.mark.parametrize(
    ("address", "query", "field"),
    [
        ("/local-authorities.csv", {"region": "atlantis"}, "region"),
        ("/local-authorities.csv", {"neighbours_of": "nowhere\x00"}, "neighbours_of"),
        ("/local-authorities.csv", {"sort": "<script>"}, "sort"),
        ("/local-authorities.csv", {"bom": "2"}, "bom"),
        ("/inspections.csv", {"bom": "yes"}, "bom"),
        ("/inspections.csv", {"local_authority": "atlantis"}, "local_authority"),
        ("/inspections.csv", {"framework": "1=1"}, "framework"),
        ("/inspections.csv", {"local_authority": "harrow\x00"}, "local_authority"),
    ],
    ids=str,
)
def test_a_spreadsheets_bad_question_is_a_clear_400_not_a_file(
    client, harrow, address, query, field
):
    response = client.get(address, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "Content-Disposition" not in response


def test_a_cell_a_spreadsheet_would_run_is_text(client, harrow):
    harrow.dates_as_printed = '=HYPERLINK("http://example.com","10 to 14 February 2020")'
    harrow.save()
    _, rows = spreadsheet(client.get("/inspections.csv"))
    assert rows[0]["dates_as_printed"] == "'" + harrow.dates_as_printed


def test_the_spreadsheets_query_count_does_not_grow_with_the_inspections(
    client, neighbours, django_assert_max_num_queries
):
    def download():
        response = client.get("/inspections.csv")
        return spreadsheet(response)[1]

    with django_assert_max_num_queries(4 + 1) as few:  # + 1: the data version (ETag)
        download()
    for slug in ["barnet", "ealing", "merton", "camden"]:
        inspect(slug, **NEW_FRAMEWORK)
        inspect(slug, framework="sif", start=datetime.date(2016, 3, 4), sif_overall=Grade.GOOD)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(download()) == 4 + 8


def test_the_findings_of_a_council_and_its_statistical_neighbours(client, neighbours):
    # another council's analyst reads how Harrow's neighbours were found, side by side,
    # without ticking eleven councils one by one
    for slug in ("redbridge", "hillingdon", "leeds"):
        inspection = Inspection.objects.filter(local_authority__slug=slug).get()
        FindingFactory(judgement=inspection.judgements.first(), text=f"A finding of {slug}.")
    harrows = neighbours.findings.count()

    response = client.get("/findings/", {"neighbours_of": "harrow"})
    content = text_of(response)
    assert response.status_code == 200
    assert f"{harrows + 2} findings in Harrow or its statistical neighbours" in content
    assert "A finding of redbridge." in content  # newest first: 2024 before Harrow's 2020
    assert "A finding of leeds." not in content
    assert (
        "Leeds"
        not in re.search(r"<legend[^>]*>\s*Council\s*</legend>(.*?)</fieldset>", content, re.S)[1]
    )
    assert "Statistical neighbours of:" in re.sub(r"<[^>]+>", "", content)
    api = client.get("/api/findings/", {"neighbours_of": "harrow"}, HTTP_ACCEPT="application/json")
    assert api.json()["count"] == harrows + 2
    download = client.get("/findings.csv", {"neighbours_of": "harrow"})
    assert "findings-harrow-and-neighbours-" in download["Content-Disposition"]
    text = b"".join(download.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["local_authority"] for row in rows} == {"Harrow", "Hillingdon", "Redbridge"}

    # the council's page and the comparison link to it
    assert "/findings/?neighbours_of=harrow" in text_of(client.get("/local-authorities/harrow/"))
    assert "/findings/?neighbours_of=harrow" in text_of(
        client.get(COMPARISON, {"neighbours_of": "harrow"})
    )


def test_neighbours_of_a_council_without_any_is_a_clear_400(client, harrow):
    message = "bournemouth is not a council with statistical neighbours listed"
    page = client.get("/findings/", {"neighbours_of": "bournemouth"})  # closed in 2019
    assert page.status_code == 400
    assert message in text_of(page)
    api = client.get(
        "/api/findings/", {"neighbours_of": "bournemouth"}, HTTP_ACCEPT="application/json"
    )
    assert api.status_code == 400
    assert message in api.json()["neighbours_of"][0]
    # and the comparison, which takes it, offers no findings link for it
    assert "/findings/?neighbours_of=bournemouth" not in text_of(
        client.get(COMPARISON, {"neighbours_of": "bournemouth"})
    )


def test_a_report_without_an_overall_grade_says_so_not_not_judged(client, harrow):
    # Ofsted's reports from April 2026 grade each judgement but give no overall grade:
    # "not judged" read as something the inspectors had left out
    four = {k: v for k, v in NEW_FRAMEWORK.items() if k != "overall_effectiveness"}
    inspect("redbridge", start=datetime.date(2022, 3, 7), **NEW_FRAMEWORK)
    inspect("redbridge", start=datetime.date(2026, 5, 11), **four)

    def overall_cell(content):
        cell = re.search(
            r'data-label="Overall effectiveness"><span>(.*?)</span></td>', content, re.S
        )
        return re.sub(r"<[^>]+>", "", cell[1])

    comparison = text_of(client.get(COMPARISON, {"neighbours_of": "redbridge"}))
    row = re.search(
        r'href="/local-authorities/redbridge/">Redbridge</a></th>(.*?)</tr>', comparison, re.S
    )
    assert overall_cell(row[1]) == "no overall grade"
    council = text_of(client.get("/local-authorities/redbridge/"))
    history = re.search(r'id="grade-history">(.*?)</table>', council, re.S)[1]
    assert "no overall grade" in history and "not judged" not in history
    report = text_of(client.get("/inspections/redbridge-2026-05/"))
    changed = re.search(r'id="what-changed">(.*?)</table>', report, re.S)[1]
    assert "no overall grade" in re.sub(r"<[^>]+>", "", changed)
    assert "not judged" not in changed
    # said in the report's own table of judgements, the feed and the national counts too
    judgements = re.search(r"<caption[^>]*>Judgements</caption>(.*?)</table>", report, re.S)[1]
    assert "no overall grade: the report gives none" in judgements
    titles = [e.title for e in feedparser.parse(client.get("/inspections/feed/").content).entries]
    assert "Redbridge, May 2026: no overall grade" in titles
    assert "Redbridge, March 2022: Good" in titles
    note = re.search(r'id="no-overall-grade">(.*?)</p>', comparison, re.S)[1]
    assert "overall effectiveness leaves out the 1 council whose latest report" in note


@pytest.mark.parametrize("address", ["/findings/", COMPARISON])
def test_neighbours_of_takes_one_council(client, harrow, address):
    # a second value was silently dropped: only Trafford's neighbours, though both asked
    query = {"neighbours_of": ["harrow", "trafford"]}
    page = client.get(address, query)
    assert page.status_code == 400
    assert "Give one council whose statistical neighbours you want" in text_of(page)
    api_address = {"/findings/": "/api/findings/", COMPARISON: "/api/comparison/"}[address]
    api = client.get(api_address, query, HTTP_ACCEPT="application/json")
    assert api.status_code == 400
    assert "Give one council" in api.json()["neighbours_of"][0]
    # the same council twice, or with the form's empty "Any", is one council
    assert client.get(address, {"neighbours_of": ["harrow", "harrow"]}).status_code == 200
    assert client.get(address, {"neighbours_of": ["", "harrow"]}).status_code == 200


@pytest.mark.parametrize(
    ("today", "marked_before"),
    [
        (datetime.date(2026, 12, 8), datetime.date(2023, 6, 8)),  # Essex's 26 June 2023: not yet
        (datetime.date(2026, 8, 31), datetime.date(2023, 2, 28)),  # a shorter month
        (datetime.date(2026, 3, 15), datetime.date(2022, 9, 15)),  # across a year
    ],
)
def test_three_and_a_half_years_is_42_calendar_months(monkeypatch, today, marked_before):
    monkeypatch.setattr(data_version, "today", lambda: today)
    assert probably_superseded_before() == marked_before


def test_the_comparisons_download_links_carry_only_its_own_parameters(client, neighbours):
    # the downloads refuse a parameter they do not take: the page, which ignores a stray
    # one, must not hand it on
    content = text_of(client.get(COMPARISON, {"region": "london", "x": "1", "utm_source": "y"}))
    csv_link = re.search(r'href="(/local-authorities\.csv\?[^"]+)"', content)[1].replace(
        "&amp;", "&"
    )
    api_link = re.search(r'href="(/api/comparison/\?[^"]+)"', content)[1].replace("&amp;", "&")
    assert "x=1" not in csv_link and "utm_source" not in csv_link and "region=london" in csv_link
    assert client.get(csv_link).status_code == 200
    assert client.get(api_link, HTTP_ACCEPT="application/json").status_code == 200


def test_a_bad_comparison_filter_names_it_and_starts_again_at_the_comparison(client, harrow):
    response = client.get(COMPARISON, {"neighbours_of": "nowhere"})
    assert response.status_code == 400
    content = text_of(response)
    assert "nowhere is not a council&#x27;s slug, e.g. harrow." in content
    assert 'href="/local-authorities/">Start again with every council compared</a>' in content
