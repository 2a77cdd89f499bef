"""The public pages that show the loaded report (the full website is issue 3)."""

import pytest
from django.urls import reverse

from judgements.models import Finding

pytestmark = pytest.mark.django_db


def test_home_lists_the_inspection_with_its_overall_grade(
    client, harrow, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get(reverse("reports:home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert harrow.get_absolute_url() in content
    assert "10 February 2020 to 14 February 2020" in content
    assert ">Good</strong>" in content


def test_inspection_page_shows_the_whole_report(client, harrow, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(harrow.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(">Good</strong>") == 4
    assert "Brenda McLaughlin, Her Majesty&#x27;s Inspector" in content
    for finding in Finding.objects.all():
        assert finding.get_absolute_url() in content
    assert "The experiences and progress of children in care and care leavers: good" in content
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in content
    )


def test_finding_page_has_a_permanent_address(client, harrow):
    response = client.get("/inspections/harrow-2020-02/findings/24/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "health histories" in content
    assert "Care leavers" in content
    assert "Care leavers need to have access to their (emotional and physical) health" in content


@pytest.mark.parametrize(
    "url",
    ["/inspections/harrow-2020-02/findings/33/", "/inspections/nowhere-2020-02/",
     "/inspections/harrow-2020-02/findings/0/"],
)  # fmt: skip
def test_unknown_pages_are_not_found(client, harrow, url):
    assert client.get(url).status_code == 404
