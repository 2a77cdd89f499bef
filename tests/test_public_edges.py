"""What the national database's odd corners showed on the public pages (a crawl of every
page of the 413 inspections): each test pins one defect found there."""

import datetime
import re
from pathlib import Path

import pytest

from judgements.models import JudgementArea
from reports.grade_tables import LEFT
from reports.models import Framework
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
)

pytestmark = pytest.mark.django_db


def lead_inspector(response):
    html = response.content.decode()
    found = re.search(r"Lead inspector</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    return found[1].strip()


def test_a_lead_inspector_without_a_title_has_no_trailing_comma(client):
    # SIF reports name the lead inspector without "His Majesty's Inspector": all 139 of
    # them read "Louise Warren," before
    inspection = InspectionFactory(
        framework=Framework.SINGLE_INSPECTION,
        lead_inspector="Louise Warren",
        lead_inspector_title="",
    )
    assert lead_inspector(client.get(f"/inspections/{inspection.slug}/")) == "Louise Warren"


def test_a_lead_inspector_with_a_title_keeps_it(client):
    inspection = InspectionFactory(lead_inspector="Rachel Griffiths")
    assert lead_inspector(client.get(f"/inspections/{inspection.slug}/")) == (
        "Rachel Griffiths, His Majesty&#x27;s Inspector"
    )


@pytest.mark.parametrize(
    ("framework", "heading", "sentence"),
    [
        (
            Framework.ILACS,
            "What needs to improve",
            "The report lists nothing that needs to improve.",
        ),
        (Framework.SINGLE_INSPECTION, "Recommendations", "The report lists no recommendations."),
    ],
)
def test_a_report_without_improvement_actions_says_so_under_its_heading(
    client, framework, heading, sentence
):
    # an outstanding report (Thurrock, September 2024) has no such section: the page showed
    # the heading over an empty list
    inspection = InspectionFactory(framework=framework)
    html = client.get(f"/inspections/{inspection.slug}/").content.decode()
    section = html.split(f'id="what-needs-to-improve">{heading}</h2>')[1].split("<h2")[0]
    assert sentence in section
    assert "<ol" not in section


def a_council_with_eight_lines_in_its_chart():
    """Barnet: a SIF report and an ILACS one, every judgement area graded."""
    council = LocalAuthorityFactory(slug="barnet", name="Barnet")
    ilacs = InspectionFactory(local_authority=council, slug="barnet-2024-01")
    sif = InspectionFactory(
        local_authority=council,
        slug="barnet-2017-04",
        framework=Framework.SINGLE_INSPECTION,
        start_date=datetime.date(2017, 4, 25),
        end_date=datetime.date(2017, 5, 18),
    )
    for position, area in enumerate(JudgementArea.objects.order_by("position"), 1):
        inspection = sif if area.slug.startswith("sif-") else ilacs
        JudgementFactory(inspection=inspection, area=area, table_position=position)


def chart_of(html):
    return html.partition('aria-labelledby="chart-svg-title"')[2].partition("</svg>")[0]


def test_every_line_of_a_councils_grade_chart_looks_different(client):
    # 98 councils have ILACS and SIF reports: eight lines, and the seventh and eighth
    # (adoption and the LSCB, from the SIF) were drawn exactly as the first and second
    # (same colour, dashes and markers): the styles went round after six
    a_council_with_eight_lines_in_its_chart()
    html = client.get("/local-authorities/barnet/").content.decode()
    chart = chart_of(html)
    lines = re.findall(
        r'<polyline class="app-grade-chart__line app-series--(\d+)" points="[^"]*"'
        r' stroke-dasharray="([^"]*)"',
        chart,
    )
    assert len(lines) == 8
    assert len({series for series, _ in lines}) == 8
    assert len({dash for _, dash in lines}) == 8
    legend = re.findall(r'app-grade-chart__marker app-series--\d+" d="([^"]+)"></path></svg>', html)
    assert len(legend) == 8
    assert len(set(legend)) == 8  # one shape each
    css = (Path(__file__).parent.parent / "reports/static/reports/site.css").read_text()
    colours = [
        re.search(rf"\.app-series--{series}\{{stroke:(#[0-9a-f]+)", css)[1] for series, _ in lines
    ]
    assert len(set(colours)) == 8


def test_the_charts_dates_and_markers_keep_clear_of_each_other(client):
    # "May 2014: single inspection framework" under the first date ran into the second
    # date, and with eight lines the first date's markers sat on the grade names
    a_council_with_eight_lines_in_its_chart()
    html = client.get("/local-authorities/barnet/").content.decode()
    chart = chart_of(html)
    dates = re.findall(
        r'text-anchor="middle">([^<]*)(?:<tspan[^>]*>([^<]*)</tspan>)?</text>', chart
    )
    assert dates[:2] == [("April 2017", "(SIF)"), ("January 2024", "")]
    starts = [float(x) for x in re.findall(r'app-grade-chart__marker[^"]*" d="M([\d.]+),', chart)]
    assert len(starts) == JudgementArea.objects.count()  # one a grade
    assert min(starts) >= LEFT
    # the chart's description still names the framework in words
    assert "Left to right: April 2017: single inspection framework, January 2024." in html


@pytest.mark.parametrize("number", [32768, 99999, 10**20])
def test_a_paragraph_number_too_big_to_store_is_a_404_not_a_500(client, number):
    # /inspections/…/findings/99999/ was a 500 (PostgreSQL: smallint out of range)
    inspection = InspectionFactory()
    response = client.get(f"/inspections/{inspection.slug}/findings/{number}/")
    assert response.status_code == 404


def test_a_closed_council_without_inspections_is_not_waiting_for_one(client):
    # Bedfordshire (closed 2009) said "No inspection of Bedfordshire is held here yet."
    closed = datetime.date(2009, 3, 31)
    LocalAuthorityFactory(slug="bedfordshire", name="Bedfordshire", closed=closed)
    html = client.get("/local-authorities/bedfordshire/").content.decode()
    closed_text = "It closed on 31 March 2009, so it will have no new ones"
    assert f"No inspection of Bedfordshire is held here. {closed_text}" in html
    assert "held here yet" not in html
    # and not as though it had never been inspected (Cumbria, closed in 2023)
    assert "any reports Ofsted published before then are on" in html


def test_an_open_council_without_inspections_may_have_one_yet(client):
    LocalAuthorityFactory(slug="rutland", name="Rutland")
    html = client.get("/local-authorities/rutland/").content.decode()
    assert "No inspection of Rutland is held here yet." in html


def test_what_changed_is_a_heading_above_its_scroll_box_not_a_caption_in_it(client):
    # at 320 px the table scrolls sideways and its caption, as wide as the table, was cut
    # off at the box's edge: "What changed since the … inspection"
    council = LocalAuthorityFactory(slug="thurrock", name="Thurrock")
    before = InspectionFactory(
        local_authority=council,
        slug="thurrock-2019-11",
        start_date=datetime.date(2019, 11, 4),
        end_date=datetime.date(2019, 11, 15),
    )
    after = InspectionFactory(local_authority=council, slug="thurrock-2024-09")
    for inspection in (before, after):
        JudgementFactory(inspection=inspection)
    html = client.get("/inspections/thurrock-2024-09/").content.decode()
    heading = '<h2 class="govuk-heading-m" id="what-changed">'
    heading += "What changed since the previous inspection</h2>"
    assert heading in html
    box = html.partition(heading)[2].partition("</table>")[0]
    assert box.lstrip().startswith('<div class="app-table-container"')
    assert '<table class="govuk-table" aria-labelledby="what-changed">' in box
    assert "<caption" not in box


def test_the_download_link_of_one_finding_is_singular(client):
    # "Download these 1 findings (CSV)" under a search with one result
    FindingFactory(text="Neglect of children is recognised early.")
    FindingFactory(text="Children are seen regularly.")
    one = client.get("/findings/?q=neglect").content.decode()
    assert "Download this finding (CSV)" in one
    assert "these 1 findings" not in one
    two = client.get("/findings/?q=children").content.decode()
    assert "Download these 2 findings (CSV)" in two


def test_a_parameter_no_filter_knows_is_not_carried_into_links_or_counted_again(client, harrow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/findings/", {"q": "children"})
    with CaptureQueriesContext(connection) as repeated:
        client.get("/findings/", {"q": "children"})
    with CaptureQueriesContext(connection) as extra:
        page = client.get("/findings/", {"q": "children", "utm_source": "x", "x": "1"})
    assert page.status_code == 200
    # the counts and facets kept for the search serve it too: no recount for `x`
    assert len(extra) == len(repeated)
    content = page.content.decode()
    assert "utm_source" not in content and "x=1" not in content
    assert "q=children" in content
