"""HTTP caching for browsers, proxies and CDNs (harrow_inspection/http_cache.py): public
pages carry an ETag and Last-Modified from the data version, an unchanged page answers a
conditional request with 304 at the cost of one query, a proxy may keep a page but must
revalidate it, and nothing signed-in staff see is ever marked public."""

import pytest

from judgements.models import Finding

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/findings/?service_area=care-leavers",
    "/inspections/harrow-2020-02/",
    "/inspections/harrow-2020-02/findings/24/",
    "/service-areas/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_can_be_kept_by_a_proxy_that_revalidates(client, harrow, url):
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert page["ETag"].startswith('"')
    assert page["Last-Modified"].endswith("GMT")
    assert {"Accept", "Cookie"} <= {v.strip() for v in page["Vary"].split(",")}


@pytest.mark.parametrize("url", PAGES)
def test_an_unchanged_page_is_a_304_for_one_query_until_the_data_changes(
    client, harrow, url, django_assert_num_queries
):
    first = client.get(url)
    with django_assert_num_queries(1):  # the data version: no view, no template
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    assert unchanged["Cache-Control"] == first["Cache-Control"]
    # A date alone is not enough: Last-Modified is the data's, and a deploy changes pages
    # without changing the data (the ETag carries the release).
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200

    finding = Finding.objects.get(inspection=harrow, number=24)
    finding.text = "A corrected sentence about pathway plans."
    finding.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/harrow-2020-02/findings/24/",  # reads the version in its own query
        "/findings/?inspection=harrow-2020-02&page=2",  # the middleware reads it first
        "/api/findings/?inspection=harrow-2020-02&page=2",
    ],
)
def test_the_etag_after_an_edit_is_the_version_of_what_the_page_shows(client, harrow, url):
    before = client.get(url)
    finding = Finding.objects.get(inspection=harrow, number=24)
    finding.text = "A corrected sentence about pathway plans."
    finding.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "A corrected sentence about pathway plans." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # the new tag is the one a plain request gets, and it answers 304 for this content
    assert client.get(url)["ETag"] == after["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    assert client.head(url)["ETag"] == after["ETag"]


def test_different_addresses_have_different_etags(client, harrow):
    one = client.get("/findings/?service_area=fostering")["ETag"]
    two = client.get("/findings/?service_area=adoption")["ETag"]
    assert one != two
    assert client.get("/findings/?service_area=adoption", HTTP_IF_NONE_MATCH=one).status_code == 200


def test_an_operator_may_let_a_proxy_serve_pages_for_a_while(client, harrow, settings):
    settings.PROXY_CACHE_SECONDS = 30
    page = client.get("/findings/")
    assert page["Cache-Control"] == "public, max-age=0, s-maxage=30, must-revalidate"


def test_signed_in_staff_pages_are_private_and_always_rendered(client, harrow, editor):
    anonymous = client.get("/findings/")
    page = editor.get("/findings/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert page.status_code == 200  # not answered from the visitor's ETag
    assert page["Cache-Control"] == "private, no-cache"
    admin = editor.get("/admin/")
    assert "public" not in admin.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/no-such-page/", "/findings/?grade=excellent", "/healthz"])
def test_errors_and_health_checks_are_never_public(client, harrow, url):
    response = client.get(url)
    assert "public" not in response.get("Cache-Control", "")


def test_a_post_is_never_answered_with_a_304(client, harrow):
    first = client.get("/findings/")
    response = client.post("/findings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code != 304


def test_a_new_release_is_never_answered_with_the_old_releases_page(client, harrow, settings):
    """A deploy changes pages without changing the data: a browser or proxy holding the
    previous release's ETag gets the new page, not a 304 (harrow_inspection/release.py)."""
    settings.RELEASE = "before"
    old = client.get("/inspections/harrow-2020-02/")
    settings.RELEASE = "after"
    new = client.get("/inspections/harrow-2020-02/", HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]
    assert b"Brenda McLaughlin" in new.content


def test_the_release_is_a_digest_of_the_code_unless_the_operator_names_it(tmp_path, monkeypatch):
    from harrow_inspection import release

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "views.py").write_text("A = 1\n")
    monkeypatch.delenv("RELEASE", raising=False)
    first = release.release(tmp_path)
    (tmp_path / "reports" / "views.py").write_text("A = 2\n")
    assert release.release(tmp_path) != first
    monkeypatch.setenv("RELEASE", "2026.12.02")
    assert release.release(tmp_path) == "2026.12.02"
