"""The counts version (reports 0011): a text edit, a history row or a review decision
leaves the counts and facets of lists that are not text searches where they were, so
the first page after the everyday edit does not count every finding again; every write
that can change what such a list holds still moves it, and text searches follow every
edit of the words."""

import re
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from harrow_inspection import data_version
from judgements.models import Finding, ServiceArea, ServiceAreaTag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_remembered_from_other_tests():
    """Each test's database starts again; answers kept for another test's data (whose
    version numbers repeat) must not be shown as this one's of a moment before."""
    caches["default"].clear()
    caches[settings.PAGE_CACHE_ALIAS].clear()


def versions():
    return data_version._read()


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_column_of_findings_is_either_counted_or_text():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            ["judgements_finding"],
        )
        columns = {row[0] for row in cursor.fetchall()}
    known = set(data_version.FINDING_TEXT_COLUMNS) | set(data_version.FINDING_COUNTED_COLUMNS)
    assert columns == known, (
        f"Say in harrow_inspection/data_version.py whether {sorted(columns ^ known)} can "
        "change a count (FINDING_COUNTED_COLUMNS, and the trigger in a migration) or not "
        "(FINDING_TEXT_COLUMNS)."
    )


def test_a_text_edit_moves_the_version_but_not_the_counts(harrow):
    (version, _), counts = versions()
    sql("UPDATE judgements_finding SET text = text || ' E.', version = 2 WHERE number = 24")
    (after, _), counts_after = versions()
    assert after > version
    assert counts_after == counts


def test_a_text_edit_saved_as_the_admin_saves_it_moves_no_counts(harrow):
    finding = Finding.objects.get(inspection=harrow, number=24)
    counts = versions()[1]
    finding.text = finding.text + " Edited."
    finding.save()  # as the admin saves: every column written, and a history row added
    assert finding.history.count() >= 1
    assert versions()[1] == counts


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE judgements_finding SET no_service_area = NOT no_service_area WHERE number = 24",
        "UPDATE judgements_finding SET number = 999 WHERE number = 24",
        "UPDATE judgements_judgement SET grade = 4 WHERE id IN"
        " (SELECT judgement_id FROM judgements_finding WHERE number = 24)",
        "DELETE FROM judgements_serviceareatag WHERE finding_id IN"
        " (SELECT id FROM judgements_finding WHERE number = 24)",
    ],
)
def test_writes_that_can_change_a_count_move_the_counts(harrow, change):
    (version, _), counts = versions()
    sql(change)
    (after, _), counts_after = versions()
    assert after > version
    assert counts_after != counts


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_a_list_counted_before_a_text_edit_is_not_counted_again(
    client, harrow, django_assert_max_num_queries
):
    url = "/findings/?service_area=care-leavers"
    count = list_count(client, url)
    with django_assert_max_num_queries(50) as before:
        list_count(client, url)  # counts and facets remembered
    finding = Finding.objects.filter(service_areas__slug="care-leavers").first()
    finding.text = finding.text + " A new sentence."
    finding.save()
    with django_assert_max_num_queries(50) as after:
        assert list_count(client, url) == count
    # the edit made no list count again: the same queries as a page whose counts are kept
    assert len(after.captured_queries) == len(before.captured_queries)
    # ...and the page shows the edited words
    assert "A new sentence." in client.get(url).content.decode()


def test_a_search_follows_every_text_edit(client, harrow):
    url = "/findings/?q=zymurgy"
    assert list_count(client, url) == 0
    finding = Finding.objects.get(inspection=harrow, number=24)
    finding.text = finding.text + " Zymurgy."
    finding.save()
    assert list_count(client, url) == 1


def test_a_tag_change_is_counted_at_once(client, harrow):
    url = "/findings/?service_area=care-leavers"
    count = list_count(client, url)
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    assert list_count(client, url) == count + 1


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_right_after_a_tag_change_the_counts_of_a_moment_before_are_shown_and_not_kept(
    client, committed_harrow, settings
):
    """The first list after a change shows the counts of just before, at once, while one
    thread counts again in the background; that answer is not kept as the new version's
    (no ETag, no-store) and the next ones have the new count."""
    settings.COUNTS_STALE_SECONDS = 30
    settings.PAGE_CACHE_SECONDS = 600
    url = "/findings/?service_area=care-leavers"
    before = client.get(url)
    count = before.context["page"].paginator.count
    assert before.has_header("ETag")
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    right_after = client.get(url)
    assert right_after.status_code == 200
    assert right_after.context["page"].paginator.count == count  # of a moment before
    assert right_after["Cache-Control"] == "no-store"
    assert not right_after.has_header("ETag")
    assert not right_after.has_header("X-Page-Cache")  # not kept (a kept page says "miss")

    def counted_again():
        # the background thread counts first and computes the facets after: until the
        # last of them is in, a page can have the new count and still be marked stale
        response = client.get(url)
        return (
            response.context
            and response.context["page"].paginator.count == count + 1
            and response.has_header("ETag")
        )

    assert wait_for(counted_again)
    settled = client.get(url)
    assert settled.has_header("ETag")
    assert f"{count + 1} findings" in settled.content.decode().replace(",", "")


@pytest.mark.django_db(transaction=True)
def test_counts_older_than_the_window_are_never_shown(client, committed_harrow, settings):
    settings.COUNTS_STALE_SECONDS = 30
    url = "/findings/?service_area=care-leavers"
    count = client.get(url).context["page"].paginator.count
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    settings.COUNTS_STALE_SECONDS = 0  # as if the change were long ago: counted in the request
    assert client.get(url).context["page"].paginator.count == count + 1


def test_the_service_areas_page_counts_a_new_tag_at_once(client, harrow):
    def care_leavers():
        areas = client.get("/service-areas/").context["areas"]
        return next(area.finding_count for area in areas if area.slug == "care-leavers")

    count = care_leavers()
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    assert care_leavers() == count + 1


def test_the_filter_panel_shows_no_note_to_developers(client, harrow):
    page = client.get("/findings/").content.decode()
    assert "{#" not in page and "filter_panel" not in page
    assert "Apply filters" in page


def care_leavers_facet(html):
    found = re.search(
        r'for="service_area-care-leavers">[^<]*<span class="app-facet__count">\((\d+)', html
    )
    return int(found[1])


@pytest.mark.django_db(transaction=True)
def test_a_panel_made_from_counts_of_a_moment_before_is_never_kept_as_the_new_ones(
    client, committed_harrow, settings
):
    """The filter panel of a new question, made right after a change from facets of the
    moment before that other questions share, is shown once and not kept: the next
    request, once the counts are made again, has the new ones."""
    settings.COUNTS_STALE_SECONDS = 30
    count = care_leavers_facet(client.get("/findings/?service_area=care-leavers").content.decode())
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    url = "/findings/?service_area=care-leavers&sort=council"  # a panel not made before
    first = client.get(url)
    assert care_leavers_facet(first.content.decode()) == count  # of a moment before
    assert first["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    assert care_leavers_facet(client.get(url).content.decode()) == count + 1


@pytest.mark.django_db(transaction=True)
def test_the_api_answered_with_counts_of_a_moment_before_has_no_etag(
    client, committed_harrow, settings
):
    settings.COUNTS_STALE_SECONDS = 30
    url = "/api/findings/?service_area=care-leavers"
    count = client.get(url, HTTP_ACCEPT="application/json").json()["count"]
    finding = Finding.objects.exclude(service_areas__slug="care-leavers").first()
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="care-leavers")
    )
    right_after = client.get(url, HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION="Token x")
    if right_after.status_code == 200 and right_after.json()["count"] == count:
        assert not right_after.has_header("ETag")
        assert right_after["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["count"] == count + 1


@pytest.mark.django_db(transaction=True)
def test_a_finding_page_survives_its_prepared_statement_being_forgotten(client, committed_harrow):
    url = "/inspections/harrow-2020-02/findings/24/"
    assert client.get(url).status_code == 200
    sql("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does to a server connection
    again = client.get(url)
    assert again.status_code == 200
    assert "24" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_past_the_middle_right_after_a_change_is_still_the_offsets_page(
    client, committed_harrow, settings
):
    """A page past the middle is read from the far end (harrow_inspection/paging.py), by
    positions counted from the list's count; right after a change the count shown is of a
    moment before, so the page is read forward: it still holds what OFFSET gives."""
    settings.COUNTS_STALE_SECONDS = 30
    url = "/findings/?page=2"  # 32 findings: page 2 is past the middle
    before = client.get(url)
    assert before.context["page"].paginator.count == 32
    shown = [row["number"] for row in before.context["page"].object_list]
    assert shown == list(range(21, 33))
    judgement = committed_harrow.judgements.first()
    Finding.objects.create(
        inspection=committed_harrow, judgement=judgement, number=33, text="A new paragraph."
    )
    right_after = client.get(url)
    assert right_after.context["page"].paginator.count == 32  # of a moment before
    assert [row["number"] for row in right_after.context["page"].object_list] == shown
    assert data_version.wait_for_background()
