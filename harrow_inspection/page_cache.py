"""A whole-response cache for the public pages and the API, keyed by the address and the
data version (and the day, for a page that changes with it).

Every public page is a function of its address and the data, and the data's version is
one row that database triggers bump on any write (``harrow_inspection/data_version.py``). So a page
can be kept until the data changes, and a write, whatever makes it (an edit in the admin,
an import, a restore), makes every kept page unreachable at once: nothing stale is ever
served, and nothing has to be invalidated by hand. A hit costs one indexed query (the
version) instead of the view's five to nine and its template: about 1 ms instead of
20-50 ms (bench/README.md).

Django's own per-site cache (``UpdateCacheMiddleware``) was not used: its key has a fixed
prefix, so it could only expire pages by time (stale for up to that long after an edit),
and it adds ``Expires``/``max-age`` headers that would make browsers keep stale pages too.
This middleware stores through Django's cache framework (the ``pages`` cache in
settings): in each process's memory, or with CACHE_URL in a Redis shared by every worker
and machine, so that a page rendered by one is a hit for all (a Redis that is away makes
every request a miss, never an error).

Only what cannot differ between visitors is kept: GET requests without a session cookie
(signed-in staff always see live pages) or conditional headers (their 304s are answered
before this, by harrow_inspection/http_cache.py), answered 200 with no cookie set and
nothing marked private or no-store (``never_cache`` views such as /healthz), not
streamed (CSV), not larger than ``PAGE_CACHE_MAX_BYTES``, and not made with counts of
the moment before the last change (``data_version.served_stale``). The admin and the health
checks are never kept.
``PAGE_CACHE_SECONDS=0`` turns it off.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_max_age

from harrow_inspection import data_version
from harrow_inspection.errors import DATABASE_ERRORS
from harrow_inspection.operations import database_error_response

HEADER = "X-Page-Cache"  # "hit" or "miss", for operators and the benchmark
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def _never_cached_paths():
    return (f"/{settings.ADMIN_PATH}", "/healthz", "/readyz")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        try:
            version = data_version.for_request(request)  # the views reuse it
        except DATABASE_ERRORS as error:
            # The database is away: the same 503 a view would give, without waiting for
            # a second connection attempt in the view.
            return database_error_response(request, error)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = self._key(request, version)
        stored = data_version.cache_get(cache, key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response) and not data_version.served_stale():
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            data_version.cache_set(
                cache,
                key,
                (response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not any(header in request.META for header in CONDITIONAL_HEADERS)
            and not request.path.startswith(_never_cached_paths())
        )

    @staticmethod
    def _key(request, version):
        number, changed_at = version
        address = "|".join(
            (
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                request.headers.get("Accept", ""),  # the API's HTML or JSON
            )
        )
        digest = hashlib.sha256(address.encode()).hexdigest()
        # the day too, for a page that changes with it alone (data_version.changes_by_day)
        return f"page:{number}:{changed_at.timestamp()}:{data_version.day_of(request)}:{digest}"

    @staticmethod
    def _cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and get_max_age(response) != 0
            and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        )
