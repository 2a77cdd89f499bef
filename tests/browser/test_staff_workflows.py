"""The staff's daily work end to end in a real browser (issue 17's "done when"), with
axe run on every page passed through: owners assigned to three actions in bulk from the
action plan list; one Editor's two windows conflicting, the second save showing the
difference; a finding's text and tags reverted from its history; a Viewer opening an
old version and finding nothing to change. The import is in test_staff_admin.py.
The screenshots in the README's staff section are taken here."""

import datetime

import pytest

from judgements.models import (
    ActionPlan,
    Finding,
    ImprovementAction,
    PlanStatus,
    ServiceArea,
    ServiceAreaTag,
)
from judgements.roles import EDITORS, VIEWERS
from tests.browser.test_staff_admin import (
    SCREENSHOTS,
    assert_clean,
    log_in,
    make_user,
    overflow,
    violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context, context.new_page()


def clipped(page):
    """Cells of the results table that reach past the right edge of the window or of the
    box the table is in (which would scroll or clip them)."""
    return page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results').getBoundingClientRect();
            const edge = Math.min(box.right, window.innerWidth) + 1;
            return [...document.querySelectorAll('#result_list td, #result_list th')]
                .filter(cell => cell.offsetParent !== null)
                .filter(cell => cell.getBoundingClientRect().right > edge)
                .map(cell => cell.className);
        }"""
    )


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_an_editor_or_superuser_assigns_an_owner_to_three_actions_in_bulk(site, browser, role):
    username = "asha" if role == "editor" else "root"
    make_user(username, EDITORS, superuser=role == "superuser")
    shoot = role == "editor"  # the README's screenshots: an Editor's day
    found, scrolls = {}, {}
    ActionPlan.objects.create(
        action=ImprovementAction.objects.get(inspection__slug="harrow-2020-02", position=1),
        owner="Head of Service",
        status=PlanStatus.NOT_STARTED,
        target_date=datetime.date(2021, 3, 31),
    )

    # On a phone, the list shows every column of every action, without scrolling.
    context, page = new_page(browser, 375)
    log_in(page, site, username)
    page.goto(site + "/admin/judgements/improvementaction/")
    found["list", 375] = violations(page)
    scrolls["list", 375] = overflow(page)
    assert clipped(page) == []
    # Each value is labelled (a ::before the stylesheet adds on narrow screens).
    labels = page.evaluate(
        """() => [...document.querySelectorAll('#result_list tbody tr:first-child td')]
            .map(cell => getComputedStyle(cell, '::before').content)"""
    )
    for label in ["Owner: ", "Status: ", "Target date: ", "Last update: ", "Overdue: "]:
        assert f'"{label}"' in labels, labels
    if shoot:
        page.screenshot(path=SCREENSHOTS / "admin-action-plan-phone.png", full_page=True)
    # The action plans' own list is stacked in the same way.
    page.goto(site + "/admin/judgements/actionplan/")
    found["plans", 375] = violations(page)
    scrolls["plans", 375] = overflow(page)
    assert clipped(page) == []
    context.close()

    context, page = new_page(browser, 1280)
    log_in(page, site, username)
    page.goto(site + "/admin/judgements/improvementaction/")
    found["list", 1280] = violations(page)
    assert clipped(page) == []
    if shoot:
        page.screenshot(path=SCREENSHOTS / "admin-action-plan.png", full_page=True)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 4
    for index in range(3):
        rows.nth(index).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("assign_owner_and_status")
    page.get_by_role("button", name="Go").click()
    page.wait_for_selector("text=The 3 actions you chose")
    found["assign", 1280] = violations(page)
    page.get_by_label("Owner").fill("Head of Corporate Parenting")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Assign to 3 actions").click()
    # Two of the three have no plan: a new plan needs a target date, and nothing is saved.
    page.wait_for_selector(".errornote")
    assert "a new plan needs a target date" in page.locator("#content").inner_text()
    assert ActionPlan.objects.count() == 1
    found["assign-refused", 1280] = violations(page)
    page.get_by_label("Target date for new plans").fill("2026-06-30")
    if shoot:
        page.screenshot(path=SCREENSHOTS / "admin-bulk-assign.png", full_page=True)
    page.get_by_role("button", name="Assign to 3 actions").click()
    page.wait_for_selector(".messagelist")
    message = page.locator(".messagelist").inner_text()
    assert "Assigned owner “Head of Corporate Parenting” and status “In progress” to 3" in message
    found["assigned", 1280] = violations(page)
    owners = [rows.nth(index).locator(".field-plan_owner").inner_text() for index in range(4)]
    assert owners == ["Head of Corporate Parenting"] * 3 + ["No owner"]
    context.close()
    plans = ActionPlan.objects.order_by("action__position")
    assert [(p.owner, p.status) for p in plans] == [
        ("Head of Corporate Parenting", PlanStatus.IN_PROGRESS)
    ] * 3
    assert_clean(found, scrolls)


def test_two_windows_of_one_editor_conflict_and_the_second_shows_the_difference(site, browser):
    make_user("asha", EDITORS)
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=19)
    url = site + f"/admin/judgements/finding/{finding.pk}/change/"
    found, scrolls = {}, {}
    for width in [1280, 375]:
        context, first = new_page(browser, width)
        log_in(first, site, "asha")
        second = context.new_page()  # another window of the same session
        first.goto(url)
        second.goto(url)
        text = first.get_by_label("Text").input_value()
        first.get_by_label("Text").fill(text.replace("well-established", "long-established"))
        first.get_by_role("button", name="Save", exact=True).click()
        first.wait_for_selector(".messagelist")
        second.get_by_label("Text").fill(text + f" Checked at {width}px.")
        second.get_by_role("button", name="Save", exact=True).click()
        second.wait_for_selector(".conflict")
        errors = second.locator(".errorlist").first.inner_text()
        assert "you saved this paragraph in another window" in errors
        assert "Saved by you, in another window" in errors
        panel = second.locator(".conflict")
        assert panel.locator("del.word-change", has_text="long-established").count() == 1
        assert panel.locator("ins.word-change", has_text="well-established").count() == 1
        assert panel.locator("ins.word-change", has_text=f"Checked at {width}px.").count() == 1
        # The typed text is kept, to merge.
        assert second.get_by_label("Text").input_value().endswith(f"Checked at {width}px.")
        found["conflict", width] = violations(second)
        scrolls["conflict", width] = overflow(second)
        if width == 1280:
            panel.screenshot(path=SCREENSHOTS / "admin-conflict.png")
        context.close()
        finding.refresh_from_db()
        finding.text = text  # as it was, with its history, for the next width
        finding.version += 1
        finding.save()
    assert_clean(found, scrolls)


def edit_text_and_tags(finding):
    """An Editor's later edit, as the admin makes it: new wording, Fostering replaced by
    Workforce."""
    from django.contrib.auth.models import User

    asha = User.objects.get(username="asha")
    finding.text = "A wording that turned out to be wrong."
    finding.version += 1
    finding._history_user = asha
    finding.save()
    fostering = finding.tags.get(service_area__slug="fostering")
    fostering._history_user = asha
    fostering.delete()
    workforce = ServiceAreaTag(
        finding=finding, service_area=ServiceArea.objects.get(slug="workforce")
    )
    workforce._history_user = asha
    workforce.save()


def test_an_editor_reverts_a_findings_text_and_tags_from_history(site, browser):
    make_user("asha", EDITORS)
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=19)
    original = finding.text
    edit_text_and_tags(finding)
    found, scrolls = {}, {}
    context, page = new_page(browser, 1280)
    log_in(page, site, "asha")
    page.goto(site + f"/admin/judgements/finding/{finding.pk}/history/")
    found["history", 1280] = violations(page)
    changes = page.locator("#change-history tbody tr").first
    assert "A wording that" in changes.locator("ins.word-change").first.text_content()
    assert "None" not in page.locator("#change-history").inner_text()
    assert page.locator("#change-history a", has_text="asha").count() == 0  # not a link
    related = page.locator("#related-history").inner_text()
    assert "Deleted: service area Fostering" in related, related
    assert "Created: service area Workforce" in related, related
    assert page.locator("#related-history").bounding_box()["width"] > 600  # seen, not squeezed
    page.screenshot(path=SCREENSHOTS / "admin-finding-history.png", full_page=True)
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    page.wait_for_selector(".version-intro")
    intro = page.locator(".version-intro").inner_text()
    assert "Fostering" in intro and "Workforce" not in intro
    found["version", 1280] = violations(page)
    page.get_by_role("button", name="Revert").first.click()
    page.wait_for_selector(".messagelist")
    assert page.url.endswith(f"/admin/judgements/finding/{finding.pk}/change/")
    message = page.locator(".messagelist").inner_text()
    assert "Restored text." in message
    assert "Removed service area “Workforce”." in message
    assert "Added back service area “Fostering”." in message
    found["reverted", 1280] = violations(page)
    scrolls["reverted", 1280] = overflow(page)
    page.locator(".messagelist").screenshot(path=SCREENSHOTS / "admin-reverted.png")
    context.close()
    finding.refresh_from_db()
    assert finding.text == original
    assert set(finding.service_areas.values_list("slug", flat=True)) == {"fostering"}
    assert_clean(found, scrolls)


def test_a_viewer_opens_an_old_version_and_cannot_change_it(site, browser):
    make_user("asha", EDITORS)
    make_user("ben", VIEWERS)
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=19)
    edit_text_and_tags(finding)
    found, scrolls = {}, {}
    for width in [1280, 375]:
        context, page = new_page(browser, width)
        log_in(page, site, "ben")
        page.goto(site + f"/admin/judgements/finding/{finding.pk}/history/")
        found["history", width] = violations(page)
        scrolls["history", width] = overflow(page)
        page.locator("#change-history tbody tr").last.get_by_role("link").click()
        page.wait_for_selector(".version-intro")
        assert (
            "You can read this version and copy from it"
            in page.locator(".version-intro").inner_text()
        )
        form = page.locator("#content-main form")
        for role in ["textbox", "combobox", "checkbox", "spinbutton"]:
            assert form.get_by_role(role).count() == 0, role
        assert page.get_by_role("button", name="Revert").count() == 0
        assert "Fostering" in page.locator(".version-intro").inner_text()
        found["old version", width] = violations(page)
        scrolls["old version", width] = overflow(page)
        if width == 375:
            page.screenshot(path=SCREENSHOTS / "admin-old-version-viewer.png", full_page=True)
        context.close()
    assert_clean(found, scrolls)
