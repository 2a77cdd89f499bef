"""Councils compared, reports that say where they stand, feeds, citations, print and the
API documentation, in a real browser: axe on each page type at 1280 and 320 px with every
column in view, and the tasks end to end."""

import re
from pathlib import Path

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe

from reports.importing.load import import_report
from tests.report_files import REPORTS, corpus_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"

PAGES = {
    "comparison-all": "/local-authorities/",
    "comparison-neighbours": "/local-authorities/?neighbours_of=harrow",
    "comparison-region": "/local-authorities/?region=london&sort=overall-effectiveness",
    "inspection-superseded": "/inspections/harrow-2020-02/",
    "inspection-latest": "/inspections/harrow-2025-01/",
    "local-authority-history": "/local-authorities/harrow/",
    "finding-citation": "/inspections/harrow-2020-02/findings/24/",
    "api-docs": "/api/docs/",
}

PHONE_SCREENSHOTS = {"comparison-neighbours", "local-authority-history"}

# Every cell of every table inside the viewport, except in a scroll box that says, in
# words above it and in its name, that it scrolls sideways.
OUT_OF_VIEW = """
() => {
  const width = document.documentElement.clientWidth;
  const said = (box) => box && /scrolls sideways/.test(box.getAttribute("aria-label"))
    && box.previousElementSibling.checkVisibility()
    && /scrolls sideways/.test(box.previousElementSibling.textContent);
  const cells = [...document.querySelectorAll("tbody th, tbody td")];
  return cells
    .filter(cell => !said(cell.closest(".app-table-container")))
    .filter(cell => {
      const box = cell.getBoundingClientRect();
      return box.width === 0 || box.right > width + 0.5 || box.left < -0.5;
    })
    .map(cell => cell.textContent.trim().slice(0, 40));
}
"""


# Anything the keyboard can reach is also seen (the skip link shows itself when focused).
FOCUSABLE_BUT_UNSEEN = """
() => [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
  .filter(el => el.tabIndex >= 0 && !el.disabled && el.checkVisibility()
    && !el.classList.contains("govuk-skip-link"))
  .filter(el => {
    for (let at = el; at; at = at.parentElement) {
      const box = at.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) return true;  // itself or inside a clipped box
    }
    return false;
  })
  .map(el => el.outerHTML.slice(0, 80))
"""


@pytest.fixture
def councils(site):
    """Harrow's 2020 (the fixture) and 2025 reports, and three of its statistical
    neighbours' (Hillingdon 2018: children in care and care leavers judged together;
    Barnet and Redbridge 2024: judged apart)."""
    import_report(path=REPORTS / "harrow-published-2025-03-04.pdf")
    import_report(path=REPORTS / "hillingdon-published-2018-05-30.pdf")
    import_report(path=corpus_file("barnet-published-2024-07-23.pdf"))
    import_report(path=corpus_file("redbridge-published-2024-07-23.pdf"))
    return site


@pytest.mark.parametrize("width", [1280, 320])
def test_each_new_page_at_1280_and_320_pixels(councils, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    failures = []
    for name, address in PAGES.items():
        response = page.goto(councils + address)
        assert response.status == 200, address
        results = Axe().run(page)
        if results.violations_count:
            failures.append(f"{name} at {width}px: {results.generate_report()}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            failures.append(f"{name} at {width}px scrolls sideways by {overflow}px")
        if hidden := page.evaluate(OUT_OF_VIEW):
            failures.append(f"{name} at {width}px: cells out of view: {hidden[:5]}")
        if unseen := page.evaluate(FOCUSABLE_BUT_UNSEEN):
            failures.append(f"{name} at {width}px: focusable but not seen: {unseen[:5]}")
        if width == 1280 or name in PHONE_SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            suffix = "" if width == 1280 else "-320"
            page.screenshot(path=SCREENSHOTS / f"{name}{suffix}.png", full_page=name != "api-docs")
    context.close()
    assert not failures, "\n".join(failures)
    assert not refused, refused


def test_harrow_against_its_statistical_neighbours(councils, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(councils + "/local-authorities/harrow/")
    page.get_by_role("link", name="Compare Harrow’s latest grades with its statistical").click()
    page.wait_for_url("**/local-authorities/?neighbours_of=harrow")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Harrow and its ten statistical neighbours"
    )
    table = page.get_by_role("table", name="4 local authorities")
    names = table.locator("tbody th").all_inner_texts()
    assert names == ["Barnet", "Harrow", "Hillingdon", "Redbridge"]
    # The seven neighbours with no ILACS report held are named, not silently left out.
    assert "No ILACS inspection of Redbridge" not in page.content()
    missing = page.get_by_text("is held here yet")
    for neighbour in ["Ealing", "Waltham Forest", "Reading", "Milton Keynes"]:
        assert neighbour in missing.inner_text()

    # Hillingdon 2018 judged children in care and care leavers together: its care leavers
    # cell says so, with the grade, never "not judged".
    hillingdon = table.get_by_role("row", name="Hillingdon")
    assert "judged with children in care" in hillingdon.inner_text()
    assert "not judged" not in hillingdon.inner_text()

    page.get_by_label("Sort by").select_option(label="Overall effectiveness (best first)")
    page.get_by_role("button", name="Show councils").click()
    page.wait_for_url("**sort=overall-effectiveness**")
    names = page.locator("#comparison tbody th").all_inner_texts()
    assert names[-1] == "Harrow"  # inadequate in 2025: the worst of the four
    assert page.locator("#comparison thead th[aria-sort]").inner_text() == ("Overall effectiveness")

    # On a phone every council is a card, every grade labelled with its judgement.
    page.set_viewport_size({"width": 320, "height": 700})
    harrow = page.locator("#comparison tbody tr", has_text="Harrow")
    overall = harrow.locator('td[data-label="Overall effectiveness"]')
    assert overall.is_visible()
    assert "Inadequate" in overall.inner_text()
    label = overall.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Overall effectiveness"'
    context.close()


def test_the_superseded_report_says_so_and_links_on(councils, page):
    page.goto(councils + "/inspections/harrow-2020-02/")
    status = page.get_by_role("region", name="Superseded")
    assert "superseded by the inspection of January 2025" in status.inner_text()
    assert "graded inadequate for overall effectiveness" in status.inner_text()
    status.get_by_role("link", name="January 2025").click()
    page.wait_for_url("**/inspections/harrow-2025-01/")
    assert "This is Harrow’s latest inspection held here." in page.content()
    pages = page.get_by_role("navigation", name="Harrow’s inspections")
    previous = pages.get_by_role("link", name=re.compile(r"^Previous inspection\W+February 2020"))
    previous.click()
    page.wait_for_url("**/inspections/harrow-2020-02/")
    source = page.locator(".govuk-summary-list__row", has_text="Source")
    assert "Published 16 March 2020 by Ofsted" in source.inner_text()
    pdf = source.get_by_role("link", name="Ofsted’s report (PDF)")
    assert pdf.get_attribute("href") == "https://files.ofsted.gov.uk/v1/file/50149055"


def test_subscribe_to_a_councils_inspections_and_read_the_feed(councils, page):
    page.goto(councils + "/local-authorities/harrow/")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert href == "/local-authorities/harrow/feed/"
    response = page.request.get(councils + href)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "New inspections of Harrow's children's social care services"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Harrow, January 2025: Inadequate", "Harrow, February 2020: Good"]
    newest = feed.entries[0]
    assert newest.link == councils + "/inspections/harrow-2025-01/"
    assert newest.published_parsed[:3] == (2025, 3, 4)
    related = [link.href for link in newest.links if link.rel == "related"]
    assert related and related[0].startswith("https://files.ofsted.gov.uk/")

    region = feedparser.parse(page.request.get(councils + "/regions/london/feed/").body())
    assert not region.bozo
    assert {entry.title.split(",")[0] for entry in region.entries} == {
        "Harrow", "Hillingdon", "Barnet", "Redbridge",
    }  # fmt: skip


def test_copy_a_citation_to_the_clipboard(site, browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(site + "/inspections/harrow-2020-02/findings/24/")
    page.get_by_role("button", name="Copy as RIS").click()
    status = page.locator("#citation-ris + p [role=status]")
    status.filter(has_text="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("TY  - RPRT\nAU  - Ofsted\n")
    assert f"UR  - {site}/inspections/harrow-2020-02/findings/24/" in copied
    assert copied == page.locator("#citation-ris").text_content()

    page.get_by_role("button", name="Copy the citation").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Ofsted (2020) Harrow: Inspection of children's social care")
    assert copied.endswith("paragraph 24. " + site + "/inspections/harrow-2020-02/findings/24/")
    context.close()


def test_printing_a_finding_prints_the_text_and_citation_not_the_navigation(site, page):
    page.goto(site + "/inspections/harrow-2020-02/findings/24/")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("navigation", name="Breadcrumb").is_visible()
    assert not page.get_by_role("navigation", name="Paragraphs of this report").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.get_by_role("button", name="Copy as RIS").is_visible()
    assert page.locator("blockquote").is_visible()
    assert page.locator("#citation").is_visible()
    assert page.locator("#citation-bibtex").is_visible()
    page.emulate_media(media="screen")
    assert page.get_by_role("navigation", name="Main").is_visible()


def test_printing_a_report_prints_its_text_and_source_not_the_navigation(councils, page):
    page.goto(councils + "/inspections/harrow-2020-02/")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("navigation", name="Harrow’s inspections").is_visible()
    assert page.get_by_role("heading", name="Summary").is_visible()
    assert page.get_by_role("region", name="Superseded").is_visible()
    pdf = page.get_by_role("link", name="Ofsted’s report (PDF)")
    after = pdf.evaluate("el => getComputedStyle(el, '::after').content")
    assert after == '" (" attr(href) ")"' or "files.ofsted.gov.uk" in after


def test_a_zero_padded_paragraph_number_redirects_to_its_address(site, page):
    response = page.goto(site + "/inspections/harrow-2020-02/findings/024/")
    assert page.url == site + "/inspections/harrow-2020-02/findings/24/"
    assert response.request.redirected_from.response().status == 301


def test_api_docs_are_linked_from_the_footer(site, page):
    page.goto(site + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="API documentation").click()
    page.wait_for_url("**/api/docs/")
    assert page.get_by_role("heading", level=3, name="GET /api/comparison/").is_visible()
    parameters = page.get_by_role("table", name="Parameters of GET /api/comparison/")
    assert "neighbours_of" in parameters.inner_text()
