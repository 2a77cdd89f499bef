"""Error pages: the site's own design for people, JSON for the API's clients."""

import sys

from django.http import JsonResponse
from django.views import defaults

from harrow_inspection.operations import DATABASE_ERRORS, database_unavailable

API_PREFIX = "/api/"


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "No such address in the API: see /api/."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        # Lost outside a view (a middleware saving the session): still a 503, not a 500.
        return database_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)
