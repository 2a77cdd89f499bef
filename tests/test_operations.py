"""Operations: health checks for load balancers, request ids in responses and logs, the
503 page while the database is away, and the backup and restore commands."""

import datetime
import io
import json
import logging
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.urls import include, path
from django.utils.module_loading import import_string

from harrow_inspection import operations
from judgements.admin import FindingAdmin
from judgements.models import ActionPlan, Finding, ImprovementAction, ProgressUpdate, ServiceArea
from reports.management.commands._backup import backed_up_models
from reports.models import GlossaryTerm, ImportLog
from tests.staff_clients import staff_client
from tests.test_admin import form_data


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "unapplied_migrations": []}


@pytest.mark.django_db
def test_readyz_is_not_ready_with_a_migration_unapplied(client, monkeypatch):
    monkeypatch.setattr(operations, "_fully_migrated", False)  # as in a process just started
    # As if the newest migration had not been run yet (rolled back after the test).
    latest = MigrationRecorder.Migration.objects.filter(app="judgements").order_by("-name")[0]
    latest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["unapplied_migrations"] == [f"judgements.{latest.name}"]


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_health_checks_answer_over_plain_http_where_the_site_redirects_to_https(client):
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    assert kept["X-Request-ID"] == "lb-1234.abc"
    for insane in ["<script>", "x" * 200, "a b"]:
        replaced = client.get("/healthz", headers={"X-Request-ID": insane})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def broken_view(request):
    raise RuntimeError("something broke")


def database_gone_view(request):
    raise OperationalError("connection to server failed: Connection refused")


urlpatterns = [
    path("broken/", broken_view),
    path("api/gone/", database_gone_view),
    path("gone/", database_gone_view),
    path("", include("harrow_inspection.urls")),
]


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture
def log_output(settings):
    """What the console handler configured in settings.LOGGING writes, into a string."""
    stream = io.StringIO()
    configured = settings.LOGGING["handlers"]["console"]
    handler = logging.StreamHandler(stream)
    handler.setFormatter(import_string(settings.LOGGING["formatters"]["json"]["()"])())
    for name in configured["filters"]:
        handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_logged_as_json_with_the_request_id_and_no_secrets(log_output):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "secret-session-cookie-value"
    response = client.get(
        "/broken/?email=someone@example.org", headers={"X-Request-ID": "trace-500"}
    )
    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-500"
    logged = log_output.getvalue()
    errors = [line for line in json_lines(logged) if line["level"] == "ERROR"]
    assert errors, logged
    assert all(line["request_id"] == "trace-500" for line in errors)
    assert any("RuntimeError: something broke" in line.get("exception", "") for line in errors)
    assert "secret-session-cookie-value" not in logged
    assert "someone@example.org" not in logged


@pytest.mark.django_db  # public pages read the data version first (http_cache.py)
@override_settings(ROOT_URLCONF=__name__)
def test_a_lost_database_gets_a_503_page_for_people_and_json_for_the_api(log_output):
    client = Client(raise_request_exception=False)
    page = client.get("/gone/", headers={"X-Request-ID": "trace-503"})
    logged = json_lines(log_output.getvalue())
    assert {line["message"] for line in logged if line["request_id"] == "trace-503"} == {
        "database unavailable",
        "Service Unavailable: /gone/",
    }
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page.content.decode()
    assert "site.css" in page.content.decode()  # the site's design
    assert "NOT saved" not in page.content.decode()
    posted = client.post("/gone/")
    assert posted.status_code == 503
    assert "Your change was NOT saved." in posted.content.decode()
    api = client.get("/api/gone/")
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert "unavailable" in api.json()["detail"]


def snapshot():
    """Every row of every backed-up table, by primary key."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in backed_up_models()
    }


@pytest.fixture
def edited_data(committed_harrow):
    """The Harrow report with staff edits: a user, an action plan with a progress update,
    a changed finding (history), a removed tag and an import log."""
    editor = User.objects.create_user("asha", "asha@example.org", "a-long-pass-phrase-1")
    action = ImprovementAction.objects.filter(inspection=committed_harrow).first()
    plan = ActionPlan.objects.create(
        action=action, owner="Head of Service", target_date=datetime.date(2021, 3, 1)
    )
    ProgressUpdate.objects.create(plan=plan, text="Started.", written_by=editor)
    finding = Finding.objects.get(inspection=committed_harrow, number=24)
    finding.text += " (checked)"
    finding.save()
    finding.tags.filter(service_area=ServiceArea.objects.get(slug="health")).delete()
    ImportLog.objects.create(
        file_name="harrow.pdf", sha256="0" * 64, parser_version="1", outcome="imported", user=editor
    )
    return committed_harrow


def test_backup_then_restore_into_an_empty_database_brings_everything_back(edited_data, tmp_path):
    before = snapshot()
    assert before["judgements.HistoricalFinding"] and before["judgements.ProgressUpdate"]
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Finding.objects.exists()
    call_command("restore", str(backup), verbosity=0)
    assert snapshot() == before


def test_restore_refuses_a_database_with_data_unless_replace(edited_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    before = snapshot()
    Finding.objects.filter(number=24).delete()
    after_delete = snapshot()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup), verbosity=0)
    assert snapshot() == after_delete
    call_command("restore", str(backup), replace=True, verbosity=0)
    assert snapshot() == before


def test_a_restore_that_fails_changes_nothing(edited_data, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "judgements.finding", "pk": 1, "fields": {"number": -1}}]')
    before = snapshot()
    with pytest.raises(Exception):  # noqa: B017 - any error, as long as it is atomic
        call_command("restore", str(broken), replace=True, verbosity=0)
    connection.close()  # the failed transaction's connection
    assert snapshot() == before


def test_the_backup_covers_every_model_of_the_data_apps():
    covered = set(backed_up_models())
    for label in ["reports", "judgements"]:
        for model in apps.get_app_config(label).get_models():
            # the counter and the log of words changed are the triggers' own bookkeeping
            kept_by_triggers = {"reports.DataVersion", "judgements.WordsChange"}
            assert model in covered or model._meta.label in kept_by_triggers, model


@pytest.mark.django_db
def test_an_admin_action_is_logged_by_ids_without_names(client, log_output):
    staff = User.objects.create_superuser("vera-qa-lead", "vera@example.org", "pass-phrase-9")
    client.force_login(staff)
    term = GlossaryTerm.objects.create(abbreviation="ZZQ", expansion="A term to delete")
    response = client.post(f"/admin/reports/glossaryterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not GlossaryTerm.objects.filter(pk=term.pk).exists()
    logged = log_output.getvalue()
    actions = [line for line in json_lines(logged) if line.get("event") == "admin_action"]
    assert actions == [
        {**actions[0], "action": "delete", "user_id": staff.pk, "model": "glossaryterm",
         "object_id": str(term.pk)}
    ]  # fmt: skip
    assert "vera" not in logged


def test_the_readme_documents_the_operations_it_has():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    for documented in [
        "`/healthz`", "`/readyz`", "manage backup --output", "manage restore --replace",
        "`DATABASE_CONNECT_TIMEOUT`", "X-Request-ID", "bench/soak.py --seconds",
    ]:  # fmt: skip
        assert documented in readme, documented
    commands = (settings.BASE_DIR / "reports" / "management" / "commands").iterdir()
    assert {"backup.py", "restore.py"} <= {path.name for path in commands}


@pytest.mark.django_db
def test_a_save_that_loses_the_database_half_way_changes_nothing_and_says_so(harrow, monkeypatch):
    """The finding's row is written, then the database goes before its tags are: the
    admin's transaction takes the finding back and the editor is told, not misled."""
    editor = staff_client("asha", "editor")
    editor.raise_request_exception = False
    finding = Finding.objects.get(inspection=harrow, number=24)
    url = f"/admin/judgements/finding/{finding.pk}/change/"
    data = {**form_data(editor.get(url)), "text": "Half-saved text."}

    def database_gone(self, request, form, formsets, change):
        assert Finding.objects.get(pk=finding.pk).text == "Half-saved text."  # written...
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(FindingAdmin, "save_related", database_gone)
    response = editor.post(url, data)
    assert response.status_code == 503
    assert "Your change was NOT saved." in response.content.decode()
    unchanged = Finding.objects.get(pk=finding.pk)  # ...and taken back
    assert (unchanged.text, unchanged.version) == (finding.text, finding.version)
    assert not unchanged.history.filter(text="Half-saved text.").exists()


def test_the_run_commands_access_log_is_json_without_query_strings():
    """gunicorn formats ACCESS_LOG_FORMAT with its SafeAtoms (which escapes quotes)."""
    from gunicorn.glogging import SafeAtoms

    from harrow_inspection.__main__ import ACCESS_LOG_FORMAT

    atoms = SafeAtoms(
        {
            "t": "[27/Nov/2026:08:50:00 +0000]",
            "m": "GET",
            "U": '/findings/"odd"/',  # PATH_INFO: the query string is a separate atom
            "q": "q=secret+words",
            "s": "200",
            "B": 5120,
            "M": 12,
            "h": "192.0.2.7",
            "{x-request-id}o": "trace-1",
        }
    )
    line = json.loads(ACCESS_LOG_FORMAT % atoms)
    assert line == {
        "time": "[27/Nov/2026:08:50:00 +0000]",
        "logger": "gunicorn.access",
        "method": "GET",
        "path": '/findings/"odd"/',
        "status": 200,
        "bytes": "5120",
        "duration_ms": 12,
        "request_id": "trace-1",
    }
    assert "secret" not in ACCESS_LOG_FORMAT % atoms
    assert "192.0.2.7" not in ACCESS_LOG_FORMAT % atoms
