"""The shared cache (CACHE_URL, docs/decisions/shared-cache.md), against a real Redis:
counts, facets and kept pages computed by one process are used by every other, and an
edit made through one process shows on the very next request through another.

They need a Redis: TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0; .ci/run starts
Debian's redis-server and sets it). Without it they are skipped, saying so, except in CI
(CI=1), where a missing Redis fails the run instead of quietly testing less."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harrow_inspection import data_version
from harrow_inspection.settings import shared_caches
from judgements.models import Finding
from tests.servers import gunicorn, served_database_url

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()
ACCEPT = "text/html"
LIST = "/findings/?service_area=care-leavers"


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        message = (
            "TEST_REDIS_URL is not set: start a Redis (redis-server --port 6390 --daemonize yes) "
            "and set TEST_REDIS_URL=redis://127.0.0.1:6390/0 to run the shared-cache tests"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture
def prefix(redis_url):
    """A key prefix of this test's own, so that parallel runs sharing the Redis never meet;
    its keys are removed afterwards."""
    import redis

    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{name}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def shared(settings, redis_url, prefix):
    """This test process's caches in the Redis, as CACHE_URL would put them."""
    settings.CACHES = shared_caches(redis_url, prefix)
    settings.PAGE_CACHE_SECONDS = 600
    return prefix


def redis_keys(redis_url, pattern):
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return [key.decode() for key in client.scan_iter(pattern)]
    finally:
        client.close()


@pytest.fixture
def server(committed_harrow, redis_url, shared, collected_static, tmp_path):
    """A second process: gunicorn serving the test database with the same CACHE_URL."""
    with gunicorn(
        lambda port: ["-m", "gunicorn", "harrow_inspection.wsgi", "--bind",
                      f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"],
        tmp_path / "gunicorn.log",
        CACHE_URL=redis_url,
        CACHE_KEY_PREFIX=shared,
        PAGE_CACHE_SECONDS="600",
        STATIC_ROOT=str(collected_static),
    ) as port:  # fmt: skip
        yield f"127.0.0.1:{port}"


def through_server(base, path):
    return requests.get(f"http://{base}{path}", headers={"Accept": ACCEPT}, timeout=30)


def test_a_page_kept_by_one_process_is_a_hit_in_another(client, server):
    # The test process renders the page (as a visitor at the server's address would
    # see it) and keeps it in Redis; gunicorn, another process, answers from there.
    first = client.get(LIST, HTTP_HOST=server, HTTP_ACCEPT=ACCEPT)
    assert first["X-Page-Cache"] == "miss"
    second = through_server(server, LIST)
    assert second.status_code == 200
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_counts_and_facets_computed_by_one_process_are_kept_for_all(client, server, shared):
    page = through_server(server, "/findings/?service_area=fostering")
    assert page.headers["X-Page-Cache"] == "miss"
    # gunicorn's count and facets are in Redis, under the current counts version...
    number, _ = data_version.for_counts()
    kept = redis_keys(REDIS_URL, f"{shared}:*:data:*harrow:{number}:*")  # *: the release
    assert len(kept) >= 3  # the count, and the two facets
    # ...so the test process renders the same list without computing them again.
    with CaptureQueriesContext(connection) as queries:
        mine = client.get(
            "/findings/?service_area=fostering", HTTP_HOST="localhost", HTTP_ACCEPT=ACCEPT
        )
    facet_queries = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert mine["X-Page-Cache"] == "miss"  # another address: rendered here
    assert facet_queries == []


def test_an_edit_through_one_process_shows_on_the_next_request_through_another(client, server):
    url = "/inspections/harrow-2020-02/findings/24/"
    assert through_server(server, url).headers["X-Page-Cache"] == "miss"
    assert through_server(server, LIST).headers["X-Page-Cache"] == "miss"
    assert through_server(server, url).headers["X-Page-Cache"] == "hit"
    # The edit is made in this process (as the admin would), committed...
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=24)
    finding.text = "A corrected sentence about pathway plans, made elsewhere."
    finding.service_areas.clear()
    finding.save()
    # ...and the very next request through gunicorn shows it, kept pages and counts alike.
    after = through_server(server, url)
    assert after.headers.get("X-Page-Cache") != "hit"  # rendered afresh
    assert "A corrected sentence about pathway plans, made elsewhere." in after.text
    listed = through_server(server, LIST)
    # never the page kept before the edit (with its counts of a moment before, while
    # gunicorn counts again, it is not kept at all: tests/test_counts_version.py)
    assert listed.headers.get("X-Page-Cache") != "hit"
    # its rows are read afresh: the finding, untagged, has left the list
    assert "A corrected sentence about pathway plans, made elsewhere." not in listed.text
    # and the other way round: an edit through a third process (manage.py) is seen here
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from judgements.models import Finding; f = Finding.objects.get("
         "inspection__slug='harrow-2020-02', number=24); f.text = 'Edited by a command.'; "
         "f.save()"],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
        env={**os.environ, "DATABASE_URL": served_database_url()},
    )  # fmt: skip
    here = client.get(url, HTTP_HOST=server, HTTP_ACCEPT=ACCEPT)
    assert here["X-Page-Cache"] == "miss"
    assert "Edited by a command." in here.content.decode()
    assert "Edited by a command." in through_server(server, url).text


def test_a_count_asked_for_at_once_by_many_is_computed_once(shared, db):
    calls = []
    together = threading.Barrier(5)

    def slow_count():
        calls.append(1)
        time.sleep(0.5)  # every other thread asks while this one computes
        return 42

    version = (7, data_version.NEVER_CHANGED)
    answers = []

    def ask():
        together.wait(10)  # all five ask at once: none finds the answer stored already
        answers.append(data_version.cached("count:everything", slow_count, version=version))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [42] * 5
    assert len(calls) == 1


def test_a_redis_that_is_away_slows_pages_but_breaks_none(client, settings, harrow):
    settings.CACHES = shared_caches("redis://127.0.0.1:1/0", f"away-{uuid.uuid4().hex}")
    settings.PAGE_CACHE_SECONDS = 600
    response = client.get(LIST)
    assert response.status_code == 200
    assert "care leavers" in response.content.decode().lower()


def test_cache_url_chooses_redis_and_refuses_anything_else():
    def settings_with(url):
        return subprocess.run(
            [sys.executable, "-c",
             "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = "
             "'harrow_inspection.settings'; from django.conf import settings; "
             "print(settings.CACHES['default']['BACKEND'], settings.CACHES['pages']['BACKEND'])"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "CACHE_URL": url},
        )  # fmt: skip

    shared = settings_with("redis://cache.example.org:6379/0")
    assert shared.stdout.split() == ["django.core.cache.backends.redis.RedisCache"] * 2
    alone = settings_with("")
    assert alone.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"] * 2
    wrong = settings_with("memcached://cache.example.org")
    assert wrong.returncode != 0
    assert "is not a Redis address" in wrong.stderr
