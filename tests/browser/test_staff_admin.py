"""The admin as its staff use it, in a real browser: an Editor, a Viewer and a superuser
go through every admin page they work with, at 1280 and 375 pixels wide, and axe finds
no violation on any; an Editor imports a report end to end; a Viewer is refused."""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User

from judgements.models import (
    ActionPlan,
    Finding,
    ImprovementAction,
    PlanStatus,
    ProgressUpdate,
    ServiceArea,
)
from judgements.roles import EDITORS, VIEWERS
from reports.models import Inspection
from tests.report_files import REPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
PASSWORD = "a long staff passphrase 42"
WIDTHS = [1280, 375]
SMALL_REPORT = REPORTS / "walsall-published-2025-07-08.pdf"


def make_user(username, group=None, superuser=False):
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, site, username):
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")


def violations(page):
    """axe's violations on the page as it is now: {rule id: number of elements}."""
    # The admin's script names the autocompletes once Select2 has set them up.
    page.wait_for_selector("html[data-autocompletes-named]", state="attached")
    results = Axe().run(page)
    return {
        violation["id"]: len(violation["nodes"]) for violation in results.response["violations"]
    }


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def plan(committed_harrow):
    action = ImprovementAction.objects.get(inspection=committed_harrow, position=1)
    plan = ActionPlan.objects.create(
        action=action,
        owner="Head of Service",
        status=PlanStatus.IN_PROGRESS,
        target_date=datetime.date(2026, 3, 31),
    )
    ProgressUpdate.objects.create(plan=plan, text="Audit of pathway plans begun.")
    return plan


def staff_pages(harrow, plan):
    """The admin pages staff work with, by name: (address, what to do before checking)."""
    finding = Finding.objects.get(inspection=harrow, number=19)
    Finding.objects.filter(pk=finding.pk).update(text=finding.text)  # nothing changes
    version = finding.history.order_by("history_date").first()
    action = plan.action
    return {
        "admin-index": "/admin/",
        "admin-findings": "/admin/judgements/finding/?service_areas__id__exact="
        + str(ServiceArea.objects.get(slug="care-leavers").pk),
        "admin-finding": f"/admin/judgements/finding/{finding.pk}/change/",
        "admin-finding-history": f"/admin/judgements/finding/{finding.pk}/history/",
        "admin-finding-revert": (
            f"/admin/judgements/finding/{finding.pk}/history/{version.history_id}/"
        ),
        "admin-deleted-findings": "/admin/judgements/finding/deleted/",
        "admin-actions": "/admin/judgements/improvementaction/",
        "admin-actions-unowned": "/admin/judgements/improvementaction/?inspection=all&owner=none",
        "admin-action-plan-history": f"/admin/judgements/actionplan/{plan.pk}/history/",
        "admin-action": f"/admin/judgements/improvementaction/{action.pk}/change/",
        "admin-action-plans": "/admin/judgements/actionplan/",
        "admin-action-plan": f"/admin/judgements/actionplan/{plan.pk}/change/",
        "admin-action-plan-add": "/admin/judgements/actionplan/add/",
        "admin-import-logs": "/admin/reports/importlog/",
        "admin-inspection": f"/admin/reports/inspection/{harrow.pk}/change/",
        "admin-service-area-tags": "/admin/judgements/serviceareatag/",
        "admin-import-upload": "/admin/reports/importlog/import/",
    }


def check_pages(browser, site, username, pages, screenshots=()):
    """Every page at every width: {(name, width): violations}, and sideways scrolling."""
    found, scrolls = {}, {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, site, username)
        for name, address in pages.items():
            response = page.goto(site + address)
            assert response.status in (200, 403), (name, response.status)
            found[name, width] = violations(page)
            scrolls[name, width] = overflow(page)
            if name in screenshots and width == WIDTHS[0]:
                page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        context.close()
    return found, scrolls


def assert_clean(found, scrolls):
    dirty = {key: value for key, value in found.items() if value}
    report = "\n".join(f"{name} at {width}px: {rules}" for (name, width), rules in dirty.items())
    assert not dirty, "axe violations (rule: elements):\n" + report
    sideways = {key: value for key, value in scrolls.items() if value > 0}
    assert not sideways, f"pages that scroll sideways (pixels): {sideways}"


def test_the_login_page_has_no_axe_violations_at_either_width(site, browser):
    found, scrolls = {}, {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(site + "/admin/login/?next=/admin/")
        found["login", width] = violations(page)
        scrolls["login", width] = overflow(page)
        headings = page.get_by_role("heading", level=1).all_inner_texts()
        context.close()
    assert_clean(found, scrolls)
    assert headings == ["Sign in to the staff admin"]


def test_a_superuser_finds_no_axe_violations_on_any_staff_page(site, browser, plan):
    make_user("root", superuser=True)
    pages = staff_pages(Inspection.objects.get(slug="harrow-2020-02"), plan)
    shown = ["admin-findings", "admin-finding"]  # the history: test_staff_workflows.py
    found, scrolls = check_pages(browser, site, "root", pages, screenshots=shown)
    assert_clean(found, scrolls)


def test_an_editor_finds_no_axe_violations_on_any_staff_page(site, browser, plan):
    make_user("asha", EDITORS)
    pages = staff_pages(Inspection.objects.get(slug="harrow-2020-02"), plan)
    found, scrolls = check_pages(browser, site, "asha", pages)
    assert_clean(found, scrolls)


def test_a_viewer_finds_no_axe_violations_on_any_staff_page(site, browser, plan):
    make_user("ben", VIEWERS)
    pages = staff_pages(Inspection.objects.get(slug="harrow-2020-02"), plan)
    found, scrolls = check_pages(browser, site, "ben", pages)
    assert_clean(found, scrolls)


def test_an_editor_imports_a_report_through_the_admin_and_a_viewer_is_refused(
    site, browser, migrated_data
):
    """The whole import as a QA officer does it: upload, check what was read, import;
    each page with no axe violation. A Viewer asking for the upload gets an admin page
    that says what they may do instead."""
    make_user("asha", EDITORS)
    make_user("ben", VIEWERS)
    found, scrolls = {}, {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, site, "asha")
    page.goto(site + "/admin/reports/importlog/")
    page.get_by_role("link", name="Import a report").click()
    assert page.get_by_label("Replace the inspection").is_disabled()  # superusers only
    found["upload", 1280] = violations(page)
    page.get_by_label("Report (PDF)").set_input_files(SMALL_REPORT)
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_selector("text=Nothing has been saved yet")
    assert "Walsall" in page.locator("#content").inner_text()
    walsall = Inspection.objects.filter(local_authority__name="Walsall")
    assert not walsall.exists()  # the preview wrote nothing
    found["preview", 1280] = violations(page)
    scrolls["preview", 1280] = overflow(page)
    page.screenshot(path=SCREENSHOTS / "admin-import-preview.png", full_page=True)
    page.get_by_role("button", name="Import this report").click()
    assert "imported" in page.locator(".messagelist").inner_text()
    inspection = walsall.get()
    assert inspection.import_logs.get().user.username == "asha"
    found["import-log", 1280] = violations(page)
    context.close()

    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, site, "ben")
    page.goto(site + "/admin/reports/importlog/")
    assert page.get_by_role("link", name="Import a report").count() == 0
    response = page.goto(site + "/admin/reports/importlog/import/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot do that"
    refusal = page.locator("#content").inner_text()
    assert "Importing a report needs the “Can import a report” permission" in refusal
    assert "see every report, finding and action plan, with its history" in refusal
    assert page.get_by_role("link", name="Back to the admin's home page").count() == 1
    found["refused", 375] = violations(page)
    scrolls["refused", 375] = overflow(page)
    page.screenshot(path=SCREENSHOTS / "admin-refused.png", full_page=True)
    context.close()
    assert_clean(found, scrolls)


def test_a_conflicting_save_shows_both_changes_with_no_axe_violations(site, browser):
    """Someone else saves the paragraph while an Editor has it open: the refused save
    names what changed, keeps the Editor's text, and is as accessible as the form."""
    make_user("asha", EDITORS)
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=19)
    found, scrolls = {}, {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, site, "asha")
        page.goto(site + f"/admin/judgements/finding/{finding.pk}/change/")
        page.get_by_label("Text").fill(f"The Editor's wording at {width}px.")
        finding.refresh_from_db()
        finding.text = f"Someone else's wording at {width}px."
        finding.version += 1
        finding.save()
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_selector(".errornote")
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        assert any("someone else saved this paragraph" in error for error in errors), errors
        assert page.get_by_label("Text").input_value() == f"The Editor's wording at {width}px."
        found["conflict", width] = violations(page)
        scrolls["conflict", width] = overflow(page)
        context.close()
    assert_clean(found, scrolls)
