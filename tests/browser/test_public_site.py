"""The public website as a person uses it, in a real browser: following links,
filtering, searching, the keyboard, a 320 px screen, and axe's accessibility rules."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"

PAGES = {
    "home": "/",
    "inspection": "/inspections/harrow-2020-02/",
    "judgement": "/inspections/harrow-2020-02/judgements/children-in-care-and-care-leavers/",
    "findings": "/findings/?service_area=care-leavers",
    "search": "/findings/?q=radicalisation",
    "finding": "/inspections/harrow-2020-02/findings/24/",
    "service-areas": "/service-areas/",
    "service-area": "/service-areas/fostering/",
    "glossary": "/glossary/",
    "local-authority": "/local-authorities/harrow/",
    "comparison": "/local-authorities/",
    "not-found": "/inspections/harrow-2020-02/findings/99/",
    "bad-request": "/findings/?page=abc",
    "about-tagging": "/about/tagging/",
}


def test_follow_a_link_from_home_to_the_inspection_and_see_its_grades(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Harrow").click()
    page.wait_for_url("**/inspections/harrow-2020-02/")
    judgements = page.get_by_role("table", name="Judgements")
    assert judgements.get_by_text("Good", exact=True).count() == 4
    assert judgements.get_by_role("row").count() == 5  # the header and four judgements


def test_filter_findings_to_care_leavers(site, page):
    page.goto(site + "/findings/")
    page.get_by_role("group", name="Service area").get_by_label("Care leavers").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**service_area=care-leavers**")
    assert page.get_by_role("status").inner_text() == "3 findings about care leavers"
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert "Harrow, February 2020: paragraph 23" in headings
    assert "Harrow, February 2020: paragraph 24" in headings


def test_search_for_radicalisation_highlights_paragraph_3(site, page):
    page.goto(site + "/findings/")
    page.get_by_label("Search the text").fill("radicalisation")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**q=radicalisation**")
    result = page.get_by_role("article")
    assert result.count() == 1
    assert "paragraph 3" in result.get_by_role("heading").inner_text()
    assert result.locator("mark").inner_text() == "radicalisation"


def test_open_a_finding_by_its_address(site, page):
    response = page.goto(site + "/inspections/harrow-2020-02/findings/24/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Paragraph 24"
    assert "health histories" in page.locator("blockquote").inner_text()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations_and_a_full_page_screenshot(site, page, name):
    page.goto(site + PAGES[name])
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


CAPTIONS_PAST_THE_EDGE = """
() => [...document.querySelectorAll("caption")].filter(caption => {
  const words = document.createRange();
  words.selectNodeContents(caption);
  return words.getBoundingClientRect().right > window.innerWidth + 1;
}).map(caption => caption.textContent.trim())
"""


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "inspection",
        "findings",
        "finding",
        "service-areas",
        "local-authority",
        "comparison",
        "about-tagging",
    ],
)
def test_usable_at_320_pixels_wide(site, browser, name):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site + PAGES[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # a table's caption is read whole, not cut off inside a box that scrolls sideways
    cut_captions = page.evaluate(CAPTIONS_PAST_THE_EDGE)
    context.close()
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
    assert not cut_captions, f"{name}: captions wider than a 320px screen: {cut_captions}"


def test_a_findings_words_have_the_width_of_a_phone(site, browser):
    """The quoted paragraph is the page's reason to be: on a 320px screen it had 170px,
    a browser's blockquote margins either side of the inset text's own border."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site + PAGES["finding"])
    text = page.locator("blockquote .app-report-text").bounding_box()["width"]
    content = page.locator("main").bounding_box()["width"]
    context.close()
    assert text >= 0.85 * content, (text, content)


FOCUS_IS_VISIBLE = """
el => {
  const shows = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== "none");
  if (shows(getComputedStyle(el))) return true;
  const label = el.id && document.querySelector(`label[for="${el.id}"]`);
  return Boolean(label) && shows(getComputedStyle(label, "::before"));
}
"""

TABBABLE = """
() => {
  const selector = "a[href], button, input, select, textarea, [tabindex]";
  window.tabbable = [...document.querySelectorAll(selector)]
    .filter(el => !el.disabled && !el.hidden && el.type !== "hidden" && el.tabIndex >= 0);
  return window.tabbable.length;
}
"""


@pytest.mark.parametrize(
    "name", ["findings", "inspection", "finding", "comparison", "local-authority"]
)
def test_every_control_is_reachable_by_keyboard_and_visibly_focused(site, page, name):
    page.goto(site + PAGES[name])
    count = page.evaluate(TABBABLE)
    reached = []
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        position = page.evaluate("window.tabbable.indexOf(document.activeElement)")
        if position in reached or page.evaluate("document.activeElement === document.body"):
            break
        focused = page.evaluate_handle("document.activeElement")
        html = focused.evaluate("el => el.outerHTML")
        assert focused.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {html[:120]}"
        reached.append(position)
    assert reached == list(range(count)), "some controls are skipped or out of order"


def test_api_docs_render_under_the_content_security_policy(site, page):
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto(site + "/api/docs/")
    operations = page.locator(".app-api-operation")
    assert operations.count() >= 14  # every API operation is listed
    assert "/api/findings/" in page.content()
    assert not page.locator("script:not([src])").count()  # nothing inline
    assert not refused, refused
