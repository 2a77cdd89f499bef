"""The whole-page cache (harrow_inspection/page_cache.py): a repeat visit is answered
from memory with one query, a write anywhere shows at once, and nothing that differs
between visitors (staff pages, cookies, errors, downloads) is ever kept."""

import datetime

import pytest
from django.core.cache import caches
from django.db import OperationalError

from harrow_inspection import data_version
from judgements.models import Finding

pytestmark = pytest.mark.django_db

HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches[settings.PAGE_CACHE_ALIAS].clear()


def test_a_repeat_visit_is_answered_from_the_cache_with_one_query(
    client, harrow, django_assert_num_queries
):
    url = "/findings/?service_area=care-leavers"
    first = client.get(url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(1):  # the data version, nothing else
        second = client.get(url)
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # the headers of the middleware outside the cache are fresh on every answer
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_an_edit_shows_on_the_next_visit(client, harrow):
    url = "/inspections/harrow-2020-02/findings/24/"
    listing = "/findings/?inspection=harrow-2020-02&page=2"
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"
    assert client.get(listing)[HEADER] == "miss"
    finding = Finding.objects.get(inspection=harrow, number=24)
    finding.text = "A corrected sentence about pathway plans."
    finding.save()
    after = client.get(url)
    assert after[HEADER] == "miss"
    assert "A corrected sentence about pathway plans." in after.content.decode()
    # and every other kept page is unreachable too, not only the edited one
    again = client.get(listing)
    assert again[HEADER] == "miss"
    assert "A corrected sentence about pathway plans." in again.content.decode()


def test_signed_in_staff_always_get_a_live_page(client, harrow, django_user_model):
    client.get("/")  # kept for visitors
    user = django_user_model.objects.create_user("editor", password="x" * 20, is_staff=True)
    client.force_login(user)
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert HEADER not in response


@pytest.mark.parametrize(
    "url",
    [
        "/findings/?page=999",  # a 400 page
        "/findings/?judgement_grade=excellent",  # a 400 page too
        "/no-such-page/",  # a 404
        "/healthz",  # never_cache
        "/findings.csv?service_area=care-leavers",  # streamed
    ],
)
def test_errors_health_checks_and_downloads_are_never_kept(client, harrow, url):
    for _ in range(2):
        assert HEADER not in client.get(url)


def test_posts_are_never_answered_from_the_cache(client, harrow):
    client.get("/findings/")
    response = client.post("/findings/")
    assert HEADER not in response  # went to the view


def test_the_api_keeps_json_and_html_apart(client, harrow):
    assert client.get("/api/findings/", HTTP_ACCEPT="application/json")[HEADER] == "miss"
    as_html = client.get("/api/findings/", HTTP_ACCEPT="text/html")
    assert as_html["Content-Type"].startswith("text/html")
    as_json = client.get("/api/findings/", HTTP_ACCEPT="application/json")
    assert as_json[HEADER] == "hit"
    assert as_json["Content-Type"] == "application/json"


def test_a_conditional_request_still_gets_its_304(client, harrow):
    first = client.get("/api/findings/", HTTP_ACCEPT="application/json")
    assert first[HEADER] == "miss"
    again = client.get(
        "/api/findings/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304


def test_turned_off_with_zero_seconds(client, harrow, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert HEADER not in client.get("/")


def test_a_lost_database_gets_the_503_page_before_any_view_runs(client, monkeypatch):
    def gone():
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(data_version, "_read", gone)
    page = client.get("/findings/")
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page.content.decode()
    api = client.get("/api/findings/")
    assert api.status_code == 503
    assert "unavailable" in api.json()["detail"]


def test_a_page_kept_yesterday_is_not_todays_answer(client, harrow, monkeypatch):
    # The comparison marks a latest inspection that has grown over three and a half years
    # old: the day changes the page with no change to the data. Harrow's began on 10
    # February 2020, so it is marked from 11 August 2023.
    note = "over 3½ years ago: a later report is probably not held here yet"
    monkeypatch.setattr(data_version, "today", lambda: datetime.date(2023, 8, 1))
    before = client.get("/local-authorities/")
    assert before[HEADER] == "miss"
    assert note not in before.content.decode()
    assert client.get("/local-authorities/")[HEADER] == "hit"

    other = client.get("/findings/")  # a page that does not change with the day
    assert other[HEADER] == "miss"

    monkeypatch.setattr(data_version, "today", lambda: datetime.date(2023, 9, 1))
    # kept, and its ETag still current: only the comparison changes with the day
    again = client.get("/findings/")
    assert again[HEADER] == "hit"
    assert client.get("/findings/", HTTP_IF_NONE_MATCH=other["ETag"]).status_code == 304
    after = client.get("/local-authorities/")
    assert after[HEADER] == "miss"
    assert note in after.content.decode()
    # nor is yesterday's copy still current for a browser or a proxy that kept it
    revalidated = client.get("/local-authorities/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert revalidated.status_code == 200
    assert note in revalidated.content.decode()
