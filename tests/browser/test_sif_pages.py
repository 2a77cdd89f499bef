"""A council's history across the two frameworks, in a real browser: Harrow with its
2017 single inspection framework report imported beside the 2020 fixture. axe's rules
and a 320 px screen on the pages that show SIF grades."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from reports.importing.load import import_report
from tests.report_files import REPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/local-authorities/harrow/",
    "/inspections/harrow-2017-01/",
    "/inspections/harrow-2020-02/",
    "/findings/?framework=sif&judgement_area=sif-lscb",
]


@pytest.fixture
def sif_site(site):
    import_report(path=REPORTS / "harrow-published-2017-03-31.pdf")
    return site


@pytest.mark.parametrize("address", PAGES)
def test_sif_pages_have_no_axe_violations_and_fit_320_pixels(sif_site, browser, page, address):
    page.goto(sif_site + address)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    narrow = context.new_page()
    narrow.goto(sif_site + address)
    overflow = narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"{address} scrolls sideways by {overflow}px at 320px"


def test_the_2017_inspection_page_reads_as_the_single_inspection_framework(sif_site, page):
    page.goto(sif_site + "/inspections/harrow-2017-01/")
    text = page.locator("main").inner_text()
    assert "Single inspection framework (SIF)" in text
    assert "Summary for children and young people" in text
    assert "To the Local Safeguarding Children Board:" in text
    assert "Recommendations" in text


@pytest.mark.parametrize(
    ("address", "tags"),
    [
        ("/findings/?framework=sif&judgement_area=sif-lscb", ".app-finding__meta .govuk-tag"),
        ("/inspections/harrow-2017-01/judgements/sif-help-and-protection/", "main p .govuk-tag"),
    ],
)
def test_a_long_grade_in_a_sentence_stays_on_one_line(sif_site, browser, address, tags):
    """GOV.UK's tag stops at 160px, for table cells; in a sentence ("which the inspection
    graded …", "Grade: …") "Requires improvement to be good" broke over three lines."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(sif_site + address)
    found = page.eval_on_selector_all(
        tags,
        """tags => tags.map(tag => [tag.textContent,
            tag.getBoundingClientRect().height / parseFloat(getComputedStyle(tag).lineHeight)])""",
    )
    context.close()
    assert "Requires improvement to be good" in {text for text, _ in found}
    assert all(lines < 1.5 for _, lines in found), found
