"""Error answers, in one place: the site's own design for people, JSON for the API's
clients. Every app's views answer a query they cannot use with `bad_request`."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults

API_PREFIX = "/api/"
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_api(request):
    """Whether `request` is for the JSON API (which answers errors in JSON)."""
    return request.path.startswith(API_PREFIX)


def bad_request(request, errors):
    """A page's answer to a query string it cannot use: status 400, the problems in words
    ({parameter: [messages]}), and a way back. Never a traceback."""
    return render(
        request,
        "bad_request.html",
        # the same list without its filters: "all findings" sent a reader of the
        # comparison or the home page to another page
        {
            "errors": errors,
            "start_again": request.path,
            "start_again_name": START_AGAIN.get(request.path_info, "this page without its filters"),
        },
        status=400,
    )


#: How "Start again with …" names the page without filters, where a name says more.
START_AGAIN = {
    "/findings/": "all findings",
    "/local-authorities/": "every council compared",
    "/": "every inspection",
}


def database_unavailable(request):
    """503 without a database query: for people a page in the site's design, for the API
    JSON. A POST is told plainly that its change was not saved."""
    not_saved = request.method not in ("GET", "HEAD", "OPTIONS")
    if is_api(request):
        response = JsonResponse(
            {"detail": "The database is unavailable for a moment. Try again shortly."},
            status=503,
        )
    else:
        body = render_to_string("503.html", {"not_saved": not_saved})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "No such address in the API: see /api/."}, status=404)
    return defaults.page_not_found(request, exception)


# What a member of staff may do, by permission, for the admin's refusal page: a person
# refused one thing is told what they can do instead.
STAFF_ABILITIES = [
    ("judgements.view_finding", "see every report, finding and action plan, with its history"),
    ("judgements.change_finding", "correct findings and their service-area tags"),
    ("judgements.change_actionplan", "keep the action plans and add progress updates"),
    ("reports.import_report", "import a report (Import logs → Import a report)"),
    ("reports.replace_report", "replace an inspection that is already imported"),
    ("judgements.revert_finding", "revert a finding to an earlier version"),
    ("judgements.delete_finding", "delete findings"),
    ("judgements.change_progressupdate", "correct progress updates"),
]


def is_admin(request):
    return request.path.startswith("/" + settings.ADMIN_PATH)


def permission_denied(request, exception):
    """403. In the admin, for staff, a page in the admin's design that says why and what
    they may do instead; elsewhere the site's page; for the API, JSON."""
    if is_api(request):
        return JsonResponse({"detail": "You do not have permission for this."}, status=403)
    user = request.user
    if not (is_admin(request) and user.is_authenticated and user.is_staff):
        return defaults.permission_denied(request, exception)
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "title": "You cannot do that",
        "reason": str(exception or ""),
        "abilities": [text for permission, text in STAFF_ABILITIES if user.has_perm(permission)],
        "groups": list(user.groups.values_list("name", flat=True)),
    }
    return render(request, "admin/403.html", context, status=403)


def csrf_failure(request, reason=""):
    """403 for a form sent without its CSRF token (a POST to a public page, a staff form
    left open past the session): the site's own page, not Django's bare one, which says
    "More information is available with DEBUG=True"."""
    if is_api(request):
        return JsonResponse({"detail": "This request was refused (CSRF check)."}, status=403)
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        # Lost outside a view (a middleware saving the session): still a 503, not a 500.
        return database_unavailable(request)
    if is_api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)
