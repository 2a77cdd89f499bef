"""The counts version (reports 0011): a text edit, a history row or a review decision
leaves the counts and facets of lists that are not text searches where they were, so
the first page after the everyday edit does not count every finding again; every write
that can change what such a list holds still moves it, and text searches follow every
edit of the words."""

import pytest
from django.db import connection

from harrow_inspection import data_version
from judgements.models import Finding, ServiceArea, ServiceAreaTag

pytestmark = pytest.mark.django_db


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
    sql(
        "UPDATE judgements_finding SET text = text || ' Edited.', version = version + 1 WHERE number = 24"
    )
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
