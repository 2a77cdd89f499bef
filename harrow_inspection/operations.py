"""Keeping the site up and honest when things go wrong: request ids, structured logs,
a friendly 503 while the database is away, and the health endpoints for load balancers.

* ``RequestIdMiddleware`` (first in MIDDLEWARE) gives every request an id: the incoming
  ``X-Request-ID`` when it is sane (a proxy's id, so logs can be joined up), else a new
  one. The response carries it back and every log line written while the request is
  handled includes it (``RequestIdFilter``).
* ``DatabaseUnavailableMiddleware`` turns a lost database (``OperationalError``,
  ``InterfaceError``) raised by a view into a 503 with ``Retry-After``: a page in the
  site's design rendered without touching the database, or JSON under /api/. The admin
  saves inside a transaction, so a POST that fails this way has changed nothing, and the
  page says so. The next request reconnects (``CONN_HEALTH_CHECKS``): no restart needed.
* ``healthz`` (the process answers; no database) and ``readyz`` (the database answers and
  every migration is applied), cheap and unauthenticated.
* ``JsonFormatter`` writes one JSON object per log line, without personal data: the
  request's path but never its query string, cookies, headers or body.
"""

import contextlib
import contextvars
import json
import logging
import re
import secrets
import time

from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from harrow_inspection.errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS, database_unavailable

logger = logging.getLogger("harrow_inspection.operations")

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id = contextvars.ContextVar("request_id", default="-")


_restoring_backup = contextvars.ContextVar("restoring_backup", default=False)


@contextlib.contextmanager
def restoring_backup():
    """While a backup is restored its records arrive with their own history: receivers
    that record history for loaded records (judgements.signals) ask
    `is_restoring_backup()` and stand aside."""
    token = _restoring_backup.set(True)
    try:
        yield
    finally:
        _restoring_backup.reset(token)


def is_restoring_backup():
    return _restoring_backup.get()


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else secrets.token_hex(16)
        request.request_id = request_id
        # Not reset when this returns: Django logs a 4xx or 5xx response after the
        # middleware is done, and that line needs the id too. request_finished resets it.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def forget_request_id(**kwargs):
    _request_id.set("-")


request_finished.connect(forget_request_id, dispatch_uid="harrow-forget-request-id")


class DatabaseUnavailableMiddleware:
    """A view that loses its database answers 503, not a 500 or a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return database_error_response(request, exception)


def database_error_response(request, exception):
    """Log a lost database and answer 503 (also used by the page cache, which looks the
    data version up before any view runs)."""
    logger.error(
        "database unavailable",
        extra={
            "event": "database_unavailable",
            "method": request.method,
            "path": request.path,
            "error": type(exception).__name__,
        },
    )
    return database_unavailable(request)


@never_cache
def healthz(request):
    """The process is alive and answering. Never touches the database."""
    return HttpResponse("ok\n", content_type="text/plain")


_fully_migrated = False


def _unapplied_migrations(connection):
    """This code's migrations not yet applied to the database. Reading them is not cheap
    (every migration file), so once they are all applied each process stops asking:
    a process's code, and so its migrations, does not change while it runs."""
    global _fully_migrated
    if _fully_migrated:
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    _fully_migrated = not unapplied
    return unapplied


@never_cache
def readyz(request):
    """Ready for traffic: the database answers and has every migration applied."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        unapplied = _unapplied_migrations(connection)
    except DATABASE_ERRORS as error:
        logger.warning(
            "not ready: database unavailable",
            extra={"event": "not_ready", "error": type(error).__name__},
        )
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if unapplied:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "unapplied_migrations": unapplied},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "unapplied_migrations": []})


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True


class ForbiddenFilter(logging.Filter):
    """A 403 is logged by Django as a WARNING with the PermissionDenied traceback; it is
    the permission system doing its job, so it becomes one INFO line without one."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


# Attributes every LogRecord has; anything else was passed in `extra` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}
# Never written to a log, whoever passes them: Django's request logger adds `request`.
_NEVER_LOGGED = {"request", "password", "cookie", "cookies", "session", "email"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _NEVER_LOGGED or key.startswith("_"):
                continue
            entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}


def log_admin_action(sender, instance, created, raw=False, **kwargs):
    """post_save of the admin's LogEntry: every staff add, change and delete also goes to
    the log, by user id and object id (no names, no email addresses, no field values)."""
    if not created or raw:
        return
    logger.info(
        "admin action",
        extra={
            "event": "admin_action",
            "action": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "user_id": instance.user_id,
            "model": instance.content_type.model if instance.content_type_id else "",
            "object_id": str(instance.object_id or ""),
        },
    )
