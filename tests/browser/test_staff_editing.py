"""A member of staff edits in a real browser, under the Content Security Policy."""

import pytest
from django.contrib.auth.models import Group, User

from judgements.roles import EDITORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long staff passphrase 42"


def test_an_editor_logs_in_tags_a_finding_and_the_public_page_changes(site, page):
    editor = User.objects.create_user("asha", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip

    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("asha")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Findings", exact=True).first.click()
    page.get_by_role("link", name="19", exact=True).click()

    # The empty service-area row: choose Workforce in its autocomplete.
    page.locator(".dynamic-tags .select2-selection").last.click()
    page.locator(".select2-search__field").fill("Workforce")
    page.locator(".select2-results__option", has_text="Workforce").first.click()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto(site + "/inspections/harrow-2020-02/findings/19/")
    areas = page.get_by_role("heading", name="Service areas").locator(
        "xpath=following-sibling::ul[1]"
    )
    assert areas.inner_text().split("\n")[:2] == [
        "Fostering (checked by staff)",
        "Workforce (checked by staff)",
    ]
    assert not refused, refused
