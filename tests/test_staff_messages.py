"""Saves that say why they failed (issue 17, item 5): every refusal names the field and
the fix, in the rows of inlines too, where no label stands beside the input."""

import datetime
import html

import pytest

from judgements.models import PlanStatus
from tests.staff_clients import staff_client
from tests.test_admin import form_data
from tests.test_staff import change_url, make_plan

pytestmark = pytest.mark.django_db


def refused(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect: nothing saved
    return html.unescape(response.content.decode())


def test_an_empty_progress_update_names_its_row_and_what_to_write(harrow):
    editor = staff_client("asha", "editor")
    plan = make_plan(harrow, 1, status=PlanStatus.IN_PROGRESS, target=datetime.date(2021, 6, 1))
    url = change_url(plan)
    data = form_data(editor.get(url))
    data["updates-0-written_on"] = "2020-09-01"  # a date, and no text
    page = refused(editor, url, data)
    assert "Progress, row 1 is empty: fill it in." in page
    assert not plan.updates.exists()


def test_a_target_date_that_is_not_a_date_says_how_to_write_one(harrow):
    editor = staff_client("asha", "editor")
    plan = make_plan(harrow, 1, status=PlanStatus.IN_PROGRESS, target=datetime.date(2021, 6, 1))
    url = change_url(plan)
    data = form_data(editor.get(url))
    data["target_date"] = "next spring"
    page = refused(editor, url, data)
    assert "Target date is not a date: write it as day/month/year, e.g. 31/03/2026." in page
    plan.refresh_from_db()
    assert plan.target_date == datetime.date(2021, 6, 1)


def test_a_service_area_removed_while_the_form_was_open_is_named_in_its_row(harrow):
    editor = staff_client("asha", "editor")
    finding = harrow.findings.get(number=19)
    url = change_url(finding)
    data = form_data(editor.get(url))
    index = int(data["tags-TOTAL_FORMS"]) - 1
    data[f"tags-{index}-service_area"] = "999999"  # no such service area (any more)
    page = refused(editor, url, data)
    assert f"Service area, row {index + 1}: the choice is no longer there" in page
    assert set(finding.service_areas.values_list("slug", flat=True)) == {"fostering"}


def test_a_tag_removed_by_someone_else_while_the_form_was_open_is_explained(harrow):
    """The hardening work's case, checked here: the row is named and the fix given."""
    editor = staff_client("asha", "editor")
    finding = harrow.findings.get(number=19)
    url = change_url(finding)
    data = form_data(editor.get(url))
    tag = finding.tags.get()
    data["tags-1-service_area"] = str(
        type(tag.service_area).objects.get(slug="workforce").pk
    )  # a second tag, so that the removed one is not the last
    tag.delete()
    page = refused(editor, url, data)
    assert "someone else removed the service area “Fostering” after you opened" in page
    assert "if it should stay, add it again in an empty row. Then save again." in page
