"""The findings list at national scale in a real browser (issue 16, items 1, 4, 5): a
person finds care leavers' findings in councils whose latest overall grade is
inadequate, removes a filter, sorts, downloads the CSV and reads it back, subscribes to
the search as a feed, and on a 320 px phone opens the filters from behind a button.
Every state is checked by axe at 1280 and 320 px, and nothing may scroll sideways."""

import csv
import xml.etree.ElementTree as ET

import pytest
from axe_playwright_python.sync_playwright import Axe

from judgements.models import Finding
from reports.importing.load import import_report
from tests.browser.test_public_site import SCREENSHOTS
from tests.report_files import REPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"
TASK = "/findings/?service_area=care-leavers&overall_grade=inadequate&latest=yes"


@pytest.fixture
def nation(site, shared_reports_parsed_once):
    """Harrow 2020 (good overall), Harrow 2025 (inadequate, its latest) and Southwark 2026
    (good), imported with the project's importer; the live server's address."""
    for name in ["harrow-published-2025-03-04.pdf", "southwark-published-2026-05-18.pdf"]:
        import_report(path=REPORTS / name)
    return site


def new_page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True)
    return context.new_page()


def no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_care_leavers_findings_where_the_latest_overall_grade_is_inadequate(nation, browser):
    page = new_page(browser, 1280)
    page.goto(nation + "/findings/")
    page.get_by_role("group", name="Service area").get_by_label("Care leavers").check()
    overall = page.get_by_role("group", name="Overall grade of the inspection")
    overall.get_by_label("Inadequate").check()
    page.get_by_label("Latest inspection only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overall_grade=inadequate**")
    # no empty fields (the search box, "Any" inspection) in the address to share
    assert page.url.endswith(
        "/findings/?overall_grade=inadequate&service_area=care-leavers&latest=yes"
    )
    expected = Finding.objects.filter(
        inspection__slug="harrow-2025-01", service_areas__slug="care-leavers"
    ).count()
    status = page.get_by_role("status").inner_text()
    assert status.startswith(f"{expected} findings about care leavers in inspections graded")
    headings = page.get_by_role("article").get_by_role("heading").all_inner_texts()
    assert headings and all(h.startswith("Harrow, January 2025: paragraph") for h in headings)
    first = page.get_by_role("article").first
    assert "Inspection’s overall grade: Inadequate" in first.inner_text()
    # the chosen values lead their lists, the summary names each
    council = page.get_by_role("group", name="Overall grade of the inspection")
    assert council.get_by_role("checkbox").first.is_checked()
    applied = page.get_by_role("region", name="Filters applied")
    assert applied.get_by_role("link", name="Remove filter").count() == 3
    no_axe_violations(page)
    no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "findings-national.png")  # the first screenful

    # remove one filter from the summary: Harrow 2020 and Southwark come back
    applied.get_by_role("link", name="Remove filter Overall grade of the inspection").click()
    page.wait_for_url(lambda url: "overall_grade" not in url)
    councils = page.get_by_role("group", name="Council")
    assert councils.get_by_label("Harrow").count() == 1
    assert councils.get_by_label("Southwark").count() == 1

    # sort by council keeps the filters
    page.get_by_label("Sort by").select_option("council")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url("**sort=council**")
    assert "service_area=care-leavers" in page.url and "latest=yes" in page.url
    headings = page.get_by_role("article").get_by_role("heading").all_inner_texts()
    assert headings[0].startswith("Harrow")  # newest first, Southwark 2026 would lead
    page.context.close()


def test_download_the_csv_and_read_it_back_with_its_dashes(nation, browser):
    page = new_page(browser, 1280)
    page.goto(nation + "/findings/?local_authority=southwark")
    with page.expect_download() as download:
        page.get_by_role("link", name="(CSV)").click()
    file = download.value
    assert file.suggested_filename.startswith("findings-southwark-")
    path = file.path()
    with open(path, encoding="utf-8-sig", newline="") as opened:  # as Python reads it
        rows = list(csv.DictReader(opened))
    with open(path, "rb") as raw:
        assert raw.read(3) == b"\xef\xbb\xbf"  # so that Excel reads UTF-8
    by_number = {int(row["paragraph"]): row for row in rows}
    southwark = Finding.objects.filter(inspection__local_authority__slug="southwark")
    assert set(by_number) == set(southwark.values_list("number", flat=True))
    assert "The 0\u201325 all-age service" in by_number[11]["text"]  # an en dash
    assert "multi\u2011agency response" in by_number[57]["text"]  # a non-breaking hyphen
    assert by_number[57]["text"] == southwark.get(number=57).text
    assert by_number[57]["overall_grade"] == "Good"
    page.context.close()


def test_subscribe_to_a_search_as_a_feed(nation, browser):
    page = new_page(browser, 1280)
    page.goto(nation + "/findings/")
    page.get_by_label("Search the text").fill('"multi-agency response"')
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**q=**")
    link = page.get_by_role("link", name="Follow this search (Atom feed)")
    alternate = page.locator("link[rel=alternate][type='application/atom+xml']")
    assert alternate.get_attribute("href") == link.get_attribute("href")
    response = page.request.get(nation + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.body())  # noqa: S314 - the site's own answer
    assert feed.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert "Southwark, March 2026: paragraph 57" in titles
    page.context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_filters_at_both_widths(nation, browser, width):
    page = new_page(browser, width)
    page.goto(nation + TASK + "&q=leavers")
    filters = page.locator("#filters")
    if width == 320:
        # behind a button, so the results come first; the summary stays in view
        toggle = page.get_by_role("button", name="Show filters")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not filters.is_visible()
        assert page.get_by_role("region", name="Filters applied").is_visible()
        no_axe_violations(page)
        no_sideways_scroll(page)
        page.screenshot(path=SCREENSHOTS / "findings-phone.png", full_page=False)
        toggle.click()
        assert page.get_by_role("button", name="Hide filters").get_attribute(
            "aria-expanded"
        ) == "true"  # fmt: skip
    else:
        assert not page.locator(".app-filter-toggle").is_visible()
        filters.screenshot(path=SCREENSHOTS / "findings-filters.png")
    assert filters.is_visible()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    no_axe_violations(page)
    no_sideways_scroll(page)
    page.context.close()


def test_without_javascript_the_filters_are_simply_shown(nation, browser):
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(nation + TASK)
    assert page.locator("#filters").is_visible()
    no_sideways_scroll(page)
    context.close()
