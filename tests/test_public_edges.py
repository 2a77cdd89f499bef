"""What the national database's odd corners showed on the public pages (a crawl of every
page of the 413 inspections): each test pins one defect found there."""

import re

import pytest

from reports.models import Framework
from tests.factories import InspectionFactory

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
