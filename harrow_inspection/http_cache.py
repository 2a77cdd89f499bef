"""HTTP caching of the public pages for browsers, proxies and CDNs: every public answer
carries an ETag and Last-Modified from the data version (as the API's always have), a
conditional request whose page has not changed gets 304 Not Modified with one query
(the version) and no view, and Cache-Control lets a shared proxy keep the page and
revalidate it.

    Cache-Control: public, max-age=0, must-revalidate     (PROXY_CACHE_SECONDS=0, default)
    Cache-Control: public, max-age=0, s-maxage=N, must-revalidate   (PROXY_CACHE_SECONDS=N)

By default a proxy keeps the page but asks on every request ("is this still it?"), and
the answer is a 304 of a few hundred bytes until the data changes: nothing stale is ever
served, which the site promises (page_cache.py). An operator who accepts pages up to N
seconds old from the proxy in exchange for not asking at all sets PROXY_CACHE_SECONDS.
Browsers always revalidate (max-age=0).

The ETag is `data_version.etag` (the version and a digest of the release, the address,
the Accept header, and the day for a page that changes with it), the one the API and
CSV views' `condition` decorators use, so the early answer here and theirs agree.
`Vary: Accept, Cookie`: the API answers HTML or JSON by Accept, and a signed-in staff
member's pages (a session cookie) are never public: they get `private, no-cache` and are
not answered here.
"""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

from harrow_inspection import data_version
from harrow_inspection.errors import DATABASE_ERRORS
from harrow_inspection.operations import database_error_response

CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def _never_public_paths():
    # The API's schema is the code's, not the data's (and is read while tests are
    # collected, with no database): no data-version ETag for it.
    return (f"/{settings.ADMIN_PATH}", "/healthz", "/readyz", "/api/schema/")


def public_cache_control():
    shared = settings.PROXY_CACHE_SECONDS
    return "public, max-age=0, " + (f"s-maxage={shared}, " if shared else "") + "must-revalidate"


class HttpCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        data_version.start_request()
        if not self._public_request(request):
            response = self.get_response(request)
            if data_version.served_stale():
                self._unmark(response)
            elif self._staff_page(request, response):
                response["Cache-Control"] = "private, no-cache"
            return response
        if any(header in request.META for header in CONDITIONAL_HEADERS):
            try:
                version = data_version.for_request(request)
            except DATABASE_ERRORS as error:
                # The database is away: the 503 the page cache or a view would give,
                # without each of them waiting for the connection again.
                return database_error_response(request, error)
            etag = quote_etag(data_version.etag(request))
            # By the ETag only: it carries the release, Last-Modified (the data's time)
            # does not, so If-Modified-Since alone would answer 304 with a page a deploy
            # changed.
            early = get_conditional_response(request, etag=etag)
            if early is not None:  # 304 (or 412): the page has not changed
                self._mark(early, etag, version)
                return early
        else:
            # looked up in process_view, before the view reads any data, unless the view
            # reads it in its own query (data_version.reads_version_itself)
            request.http_cache_public = True
        response = self.get_response(request)
        if data_version.served_stale():
            self._unmark(response)
        elif self._public_response(response):
            version = data_version.for_request(request)
            self._mark(response, quote_etag(data_version.etag(request)), version)
        return response

    def process_view(self, request, view, view_args, view_kwargs):
        """The data version of a public page without a conditional request: read here,
        before the view reads the data it shows (so the ETag is never newer than the
        content), unless the view reads it with its data."""
        if getattr(request, "http_cache_public", False) and not getattr(
            view, "reads_data_version", False
        ):
            try:
                data_version.for_request(request)
            except DATABASE_ERRORS as error:  # the 503 a view would give
                return database_error_response(request, error)
        return None

    @staticmethod
    def _public_request(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(_never_public_paths())
        )

    @staticmethod
    def _staff_page(request, response):
        return (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and "Cache-Control" not in response
            and not request.path.startswith(_never_public_paths())
        )

    @staticmethod
    def _public_response(response):
        return (
            response.status_code == 200
            and not response.cookies
            and "Cache-Control" not in response  # never_cache, private: the view decided
        )

    @staticmethod
    def _unmark(response):
        """Counts from a moment before the last change (the API's and the feed's ETag
        decorators included): not this version's answer, not to be kept or revalidated."""
        for header in ("ETag", "Last-Modified"):
            if header in response:
                del response[header]
        response["Cache-Control"] = "no-store"

    @staticmethod
    def _mark(response, etag, version):
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date(version[1].timestamp()))
        response["Cache-Control"] = public_cache_control()
        patch_vary_headers(response, ["Accept", "Cookie"])
