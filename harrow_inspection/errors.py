"""Error pages: the site's own design for people, JSON for the API's clients."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "No such address in the API: see /api/."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)
