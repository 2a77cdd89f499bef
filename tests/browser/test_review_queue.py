"""An Editor reviews a report's automatic tags in the queue, in a real browser, and the
public site changes: the confirmed mark, and the counts of the confirmed-only filter."""

import re
from pathlib import Path

import pytest

from judgements.models import Finding, ServiceAreaTag
from reports.importing.load import import_report
from tests.browser.test_staff_admin import (
    EDITORS,
    SMALL_REPORT,
    assert_clean,
    log_in,
    make_user,
    overflow,
    violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def findings_count(page, site, query):
    page.goto(site + "/findings/" + query)
    return int(re.match(r"[\d,]+", page.get_by_role("status").inner_text())[0].replace(",", ""))


def test_an_editor_confirms_a_reports_tags_in_the_queue_and_the_public_site_shows_it(
    site, browser, shared_reports_parsed_once
):
    walsall = import_report(path=SMALL_REPORT).inspection
    first = Finding.objects.filter(inspection=walsall).order_by("number").first()
    make_user("asha", EDITORS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    everything = findings_count(page, site, "")
    before = findings_count(page, site, "?confirmed=1")
    assert before < everything  # only Harrow 2020's, tagged by hand
    page.goto(site + f"/inspections/{walsall.slug}/findings/{first.number}/")
    assert (
        "(automatic, not yet checked by staff)" in page.locator(".app-service-areas").inner_text()
    )

    log_in(page, site, "asha")
    page.get_by_role("link", name="Review automatic tags and evidence links").click()
    page.get_by_role("link", name=str(walsall)).click()
    found = {("review", 1280): violations(page)}
    scrolls = {("review", 1280): overflow(page)}
    page.screenshot(path=SCREENSHOTS / "admin-review.png")
    # The first paragraph's Confirm button has the focus: Enter confirms it as it is.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"Paragraph {first.number}:" in page.locator(".messagelist").inner_text()
    assert not ServiceAreaTag.objects.filter(finding=first, confirmed=False).exists()
    # Back at the next paragraph, whose Confirm has the focus (a browser ignores autofocus
    # when the address has a fragment): Enter, Enter... goes down the report.
    second = Finding.objects.filter(inspection=walsall, number__gt=first.number).earliest("number")
    assert page.url.endswith(f"#finding-{second.number}")
    assert page.evaluate("document.activeElement.value") == f"Confirm paragraph {second.number}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"Paragraph {second.number}:" in page.locator(".messagelist").inner_text()
    assert not ServiceAreaTag.objects.filter(finding=second, confirmed=False).exists()
    # After an error the message has the focus: the next Enter confirms nothing unread.
    point = page.locator("form#action-1")
    for box in point.locator('input[name="paragraph"]').all():
        box.uncheck()
    with page.expect_navigation():
        point.get_by_role("button", name="Confirm point 1").click()
    assert page.evaluate("document.activeElement.className") == "error"
    assert "at least one paragraph" in page.evaluate("document.activeElement.textContent")
    unchecked = ServiceAreaTag.objects.filter(finding__inspection=walsall, confirmed=False).count()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert (
        ServiceAreaTag.objects.filter(finding__inspection=walsall, confirmed=False).count()
        == unchecked
    )
    # Then the rest of the report at once.
    page.get_by_role(
        "button", name="Confirm every tag and evidence link of this report as it is…"
    ).click()
    page.get_by_role("button", name="Yes, confirm them all").click()
    assert "Confirmed" in page.locator(".messagelist").inner_text()
    assert "Every paragraph's service areas are checked." in page.content()

    page.goto(site + f"/inspections/{walsall.slug}/findings/{first.number}/")
    marks = page.locator(".app-service-areas").inner_text()
    assert "(checked by staff)" in marks and "not yet checked" not in marks
    assert findings_count(page, site, "?confirmed=1") == everything

    small = browser.new_context(viewport={"width": 375, "height": 900})
    narrow = small.new_page()
    log_in(narrow, site, "asha")
    narrow.goto(site + f"/admin/judgements/serviceareatag/review/{walsall.slug}/")
    found["review", 375] = violations(narrow)
    scrolls["review", 375] = overflow(narrow)
    small.close()
    context.close()
    assert_clean(found, scrolls)
