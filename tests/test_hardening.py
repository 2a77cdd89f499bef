"""Issue 18: nothing a hostile file, a spreadsheet, a proxy or a restore can break.

Each test is named for what a person would notice; the numbers are the issue's points.
The gunicorn rehearsal of the same attacks (a real server, production settings) is
bench/hostile.py.
"""

import csv
import datetime
import io
import json
import os
import resource
import shutil
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from judgements.editing import restorable_findings
from judgements.models import (
    ActionPlan,
    Finding,
    PlanStatus,
    ProgressUpdate,
    ServiceArea,
    ServiceAreaTag,
)
from reports.importing import ReportParseError, parse_report
from reports.importing import upload as upload_module
from reports.importing.load import import_report
from tests.hostile_files import decompression_bomb_pdf, many_pages_pdf, text_flood_pdf
from tests.report_files import REPORTS
from tests.staff_clients import staff_client
from tests.test_admin import form_data
from tests.test_operations import log_output  # noqa: F401 - a fixture
from tests.test_settings import DEVELOPMENT, show
from tests.test_staff import change_url

pytestmark = pytest.mark.django_db

PASSWORD = "a long staff passphrase 42"
WALSALL = REPORTS / "walsall-published-2025-07-08.pdf"
UPLOAD = "/admin/reports/importlog/import/"


# 1. CSV formula injection


def test_a_finding_or_council_name_starting_a_formula_is_text_in_the_csv(client, harrow):
    formulas = {
        3: '=HYPERLINK("http://evil.example","x")',
        4: "+1+1",
        5: "-2+3",
        6: "@SUM(A1:A2)",
        7: "\t=1+1",
        8: "\r=1+1",
    }
    for number, text in formulas.items():
        Finding.objects.filter(inspection=harrow, number=number).update(text=text)
    harrow.local_authority.name = "=cmd|' /C calc'!A0"
    harrow.local_authority.save()
    response = client.get("/findings.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_paragraph = {int(row["paragraph"]): row for row in rows}
    for number, text in formulas.items():
        assert by_paragraph[number]["text"] == "'" + text  # shown as text, never run
    assert {row["local_authority"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    # Everything else is as it was: the report's words, verbatim.
    ordinary = Finding.objects.get(inspection=harrow, number=24)
    assert by_paragraph[24]["text"] == ordinary.text


# 2. Lockouts behind the proxy


def attempt(client, password, *, forwarded_for, proxy="10.0.0.2"):
    return client.post(
        reverse("admin:login"),
        {"username": "asha", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_a_stranger_cannot_lock_a_user_out_from_everywhere(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("asha", password=PASSWORD, is_staff=True)
    stranger = Client()
    for attempt_number in range(settings.AXES_FAILURE_LIMIT):
        # The stranger writes a different X-Forwarded-For each time; the proxy appends
        # the address it really saw, which is the one believed.
        response = attempt(
            stranger, "wrong", forwarded_for=f"192.0.2.{attempt_number}, 203.0.113.9"
        )
    assert response.status_code == 429
    assert attempt(stranger, PASSWORD, forwarded_for="203.0.113.9").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Asha, from her own address through the same proxy, signs in.
    asha = Client()
    assert attempt(asha, PASSWORD, forwarded_for="198.51.100.7").status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    User.objects.create_user("asha", password=PASSWORD, is_staff=True)
    stranger = Client()
    for attempt_number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(
            stranger, "wrong", forwarded_for=f"192.0.2.{attempt_number}", proxy="203.0.113.9"
        )
    assert response.status_code == 429  # a made-up header bought no extra guesses
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_the_trusted_proxy_count_comes_from_the_environment():
    assert show(DEVELOPMENT, "settings.TRUSTED_PROXY_COUNT") == "0"
    assert show({**DEVELOPMENT, "TRUSTED_PROXY_COUNT": "1"}, "settings.TRUSTED_PROXY_COUNT") == "1"


# 3. Request bodies


class Unreadable(io.RawIOBase):
    """A request body that must never be read."""

    read_from = False

    def read(self, *args):
        Unreadable.read_from = True
        raise AssertionError("the body was read")

    readline = read


def call_wsgi(path, content_length, method="POST"):
    from harrow_inspection.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(content_length),
        "wsgi.input": Unreadable(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_a_one_gigabyte_post_is_refused_before_its_body_is_read(db):
    Unreadable.read_from = False
    status, headers, body = call_wsgi("/admin/login/", 1024**3)
    assert status.startswith("413")
    assert b"too large" in body
    assert headers["Connection"] == "close"
    assert not Unreadable.read_from
    # Even the report upload address takes no more than its own limit.
    status, _, _ = call_wsgi(UPLOAD, 21 * 1024 * 1024)
    assert status.startswith("413")
    assert not Unreadable.read_from


def test_an_upload_over_the_limit_stops_being_read_and_says_why(superuser, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    with open(big, "rb") as file:
        response = superuser.post(UPLOAD, {"report": file})
    assert response.status_code == 200
    assert "That file is over 0.0625 MB" in response.content.decode()


def test_the_limits_are_in_the_settings_and_the_readme():
    readme = (upload_module.Path(__file__).resolve().parent.parent / "README.md").read_text()
    security = readme[readme.index("## Security") :].split("\n## ")[0]
    for variable in [
        "UPLOAD_MAX_MB",
        "REQUEST_MAX_MB",
        "REPORT_PARSE_SECONDS",
        "REPORT_PARSE_MEMORY_MB",
        "REPORT_MAX_PAGES",
        "TRUSTED_PROXY_COUNT",
        "SESSION_HOURS",
        "AXES_FAILURE_LIMIT",
    ]:
        assert variable in security, variable
    assert show(DEVELOPMENT, "settings.UPLOAD_MAX_BYTES") == str(20 * 1024 * 1024)
    assert show(DEVELOPMENT, "settings.DATA_UPLOAD_MAX_MEMORY_SIZE") == str(1024 * 1024)


# 4. Decompression bombs


@pytest.fixture
def bomb(tmp_path):
    path = tmp_path / "bomb.pdf"
    size = decompression_bomb_pdf(path, inflated_gb=4)
    assert size < 300 * 1024  # a small file...
    return path  # ...whose one page inflates to 4 GB


def test_a_decompression_bomb_is_refused_quickly_in_bounded_memory(bomb):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ReportParseError, match="needed more than 512 MB of memory"):
        import_report(path=bomb, dry_run=True)
    assert time.monotonic() - started < 20
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100 * 1024  # this process did not inflate it


def test_the_command_line_import_refuses_a_bomb_and_logs_it(bomb):
    from django.core.management.base import CommandError

    from reports.models import ImportLog

    with pytest.raises(CommandError, match="1 of 1 reports not imported"):
        call_command("import_report", str(bomb), stderr=io.StringIO(), stdout=io.StringIO())
    log = ImportLog.objects.get()
    assert log.outcome == "failed"
    assert "memory" in log.message


def test_a_bomb_uploaded_in_the_admin_gets_a_message_and_leaves_no_file(
    superuser, bomb, monkeypatch, tmp_path
):
    uploads = tmp_path / "uploads"
    monkeypatch.setattr(upload_module, "UPLOADS", uploads)
    started = time.monotonic()
    with open(bomb, "rb") as file:
        response = superuser.post(UPLOAD, {"report": file})
    assert time.monotonic() - started < 20  # well before gunicorn's 30 s
    assert response.status_code == 200
    content = response.content.decode()
    assert "This file could not be read as a report" in content
    assert "needed more than 512 MB of memory" in content
    assert not any(uploads.iterdir())


def test_a_file_that_takes_too_long_is_stopped_at_the_time_limit(settings, tmp_path):
    settings.REPORT_PARSE_SECONDS = 1
    settings.REPORT_PARSE_MEMORY_MB = 2048  # so that time, not memory, is what stops it
    slow = tmp_path / "report.pdf"
    text_flood_pdf(slow, characters=1_000_000)  # a million characters: seconds to read
    started = time.monotonic()
    with pytest.raises(ReportParseError, match="took longer than 1 seconds"):
        import_report(path=slow, dry_run=True)
    assert time.monotonic() - started < 5


def test_a_file_with_too_many_pages_is_refused_before_they_are_read(settings, tmp_path):
    settings.REPORT_MAX_PAGES = 3
    copy = tmp_path / "report.pdf"
    shutil.copy(WALSALL, copy)
    with pytest.raises(ReportParseError, match="more than 3 pages"):
        import_report(path=copy, dry_run=True)


def test_a_file_of_twenty_thousand_pages_is_refused_at_once(tmp_path):
    pages = tmp_path / "pages.pdf"
    many_pages_pdf(pages, pages=20_000)
    started = time.monotonic()
    with pytest.raises(ReportParseError, match="more than 150 pages"):
        import_report(path=pages, dry_run=True)
    assert time.monotonic() - started < 10


def test_a_page_of_millions_of_characters_is_stopped_at_the_time_limit(settings, tmp_path):
    settings.REPORT_PARSE_SECONDS = 2
    flood = tmp_path / "flood.pdf"
    text_flood_pdf(flood)
    started = time.monotonic()
    with pytest.raises(ReportParseError, match=r"longer than 2 seconds|more than 512 MB"):
        import_report(path=flood, dry_run=True)
    assert time.monotonic() - started < 6


def test_the_sandbox_reads_a_report_exactly_as_the_parser_does(tmp_path):
    from reports.importing.sandbox import parse_report as parse_in_sandbox

    assert parse_in_sandbox(WALSALL) == parse_report(WALSALL)


def test_uploads_left_over_an_hour_are_removed_when_the_next_upload_starts(
    superuser, monkeypatch, tmp_path
):
    uploads = tmp_path / "uploads"
    monkeypatch.setattr(upload_module, "UPLOADS", uploads)
    old, recent = uploads / "old-token", uploads / "recent-token"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "report.pdf").write_bytes(b"%PDF")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    not_a_report = tmp_path / "minutes.pdf"
    not_a_report.write_text("Minutes of a meeting.")
    with open(not_a_report, "rb") as file:
        response = superuser.post(UPLOAD, {"report": file})
    assert "This file could not be read as a report" in response.content.decode()
    assert sorted(p.name for p in uploads.iterdir()) == ["recent-token"]


# 5. Progress-update admin pages


def test_progress_update_pages_open_for_superusers_and_editors(superuser, editor, harrow):
    plan = ActionPlan.objects.create(
        action=harrow.improvement_actions.get(position=1),
        owner="Head of Service",
        status=PlanStatus.IN_PROGRESS,
        target_date=datetime.date(2021, 6, 1),
    )
    update = ProgressUpdate.objects.create(plan=plan, text="Audit started.")
    history_id = update.history.latest().history_id
    pages = [
        reverse("admin:judgements_progressupdate_add"),
        reverse("admin:judgements_progressupdate_change", args=[update.pk]),
        reverse("admin:judgements_progressupdate_history", args=[update.pk]),
        reverse("admin:judgements_progressupdate_simple_history", args=[update.pk, history_id]),
    ]
    for page in pages:
        assert superuser.get(page).status_code == 200, page
    assert editor.get(pages[0]).status_code == 200
    # A superuser corrects an update, as the README says.
    data = form_data(superuser.get(pages[1]))
    data["text"] = "Audit of return home interviews started."
    assert superuser.post(pages[1], data).status_code == 302
    update.refresh_from_db()
    assert update.text == "Audit of return home interviews started."


# 6. Restore and ids


def test_after_a_restore_a_new_finding_never_takes_a_deleted_findings_id(
    committed_harrow, tmp_path
):
    highest = Finding.objects.order_by("-pk").first()
    deleted_id = highest.pk
    highest.delete()
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    call_command("restore", str(backup), replace=True, verbosity=0)
    assert deleted_id in [record.id for record in restorable_findings()]
    new = Finding.objects.create(
        inspection=committed_harrow,
        judgement=committed_harrow.judgements.first(),
        number=99,
        text="A paragraph added after the restore.",
    )
    assert new.pk > deleted_id
    assert deleted_id in [record.id for record in restorable_findings()]
    assert not new.history.filter(history_type="-").exists()


# 7. A finding's only tag cannot be moved away


def test_a_findings_only_tag_cannot_be_moved_to_another_finding(editor, harrow):
    finding = harrow.findings.get(number=19)
    (only,) = finding.tags.all()
    other = harrow.findings.get(number=24)
    url = change_url(only)
    data = form_data(editor.get(url))
    data["finding"] = str(other.pk)
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "This is the only service area of its paragraph" in response.content.decode()
    assert list(finding.tags.all()) == [only]
    # With two tags, one of them may move.
    first, second = other.tags.all()
    data = form_data(editor.get(change_url(first)))
    data["finding"] = str(harrow.findings.get(number=25).pk)
    assert editor.post(change_url(first), data).status_code == 302
    assert list(other.tags.all()) == [second]


# 8. A tag deleted while someone has the finding open


def test_a_tag_removed_while_the_finding_is_open_is_named_and_saving_again_works(
    editor, other_editor, harrow
):
    finding = harrow.findings.get(number=24)
    url = change_url(finding)
    asha = form_data(editor.get(url))
    health = finding.tags.get(service_area__slug="health")
    delete = reverse("admin:judgements_serviceareatag_delete", args=[health.pk])
    assert other_editor.post(delete, {"post": "yes"}).status_code == 302

    asha["text"] = finding.text + " Checked."
    response = editor.post(url, asha)
    assert response.status_code == 200
    content = response.content.decode()
    name = health.service_area.name
    assert f"someone else removed the service area “{name}” after you opened this page" in content
    finding.refresh_from_db()
    assert not finding.text.endswith("Checked.")

    again = form_data(response)
    assert editor.post(url, again).status_code == 302
    finding.refresh_from_db()
    assert finding.text.endswith("Checked.")
    assert set(finding.service_areas.values_list("slug", flat=True)) == {"care-leavers"}


# 9. Smaller


def test_the_access_log_is_valid_json_whatever_the_path_holds(monkeypatch):
    """The run command's gunicorn arguments, with its logger class, format every path."""
    from gunicorn.util import load_class

    import harrow_inspection.__main__ as main

    captured = {}
    monkeypatch.setattr(main.subprocess, "run", lambda *a, **k: None)
    monkeypatch.setattr(main, "exec_in_environment", lambda *a: captured.update(argv=a))
    main.run(main.argparse.Namespace(host="127.0.0.1", port=8000, workers=2))
    argv = list(captured["argv"])
    assert "--no-control-socket" in argv  # nothing in ~/.gunicorn/ shared by every instance
    logger_class = load_class(argv[argv.index("--logger-class") + 1])
    log_format = argv[argv.index("--access-logformat") + 1]
    for path in ["/a\\b/", '/"quoted"/', "/tab\there/", "/\x00\x1b[31m/", "/\u00e9t\u00e9/"]:
        atoms = logger_class.atoms_wrapper_class(
            {
                "t": "[01/Dec/2026:10:00:00 +0000]",
                "m": "GET",
                "U": path,
                "s": "404",
                "B": 10,
                "M": 1,
                "{x-request-id}o": "id\\1",
            }
        )
        line = json.loads(log_format % atoms)
        assert line["path"] == path
        assert line["request_id"] == "id\\1"


def test_private_use_characters_in_stored_text_are_never_shown_as_highlights(client, harrow):
    finding = harrow.findings.get(number=24)
    finding.text = "Pathway \ue000plans\ue001 are \ue000 reviewed \ue001 by leaders."
    finding.save()
    page = client.get(finding.get_absolute_url()).content.decode()
    assert "<mark>" not in page
    assert "\ue000plans\ue001" in page  # shown as stored, verbatim
    results = client.get("/findings/", {"q": "leaders pathway"}).content.decode()
    marked = [part.split("</mark>")[0] for part in results.split("<mark>")[1:]]
    assert "plans" not in marked
    assert "Pathway" in marked


def test_a_staff_sign_in_lasts_a_working_day(client, db):
    User.objects.create_user("asha", password=PASSWORD, is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "asha", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert 8 * 3600 <= int(response.cookies["sessionid"]["max-age"]) <= 12 * 3600
    assert show({**DEVELOPMENT, "SESSION_HOURS": "8"}, "settings.SESSION_COOKIE_AGE") == "28800"


def test_a_refused_request_is_one_info_line_without_a_traceback(harrow, log_output):  # noqa: F811
    viewer = staff_client("cleo", "viewer")
    finding = harrow.findings.get(number=24)
    response = viewer.post(change_url(finding), {"text": "Changed."})
    assert response.status_code == 403
    lines = [json.loads(line) for line in log_output.getvalue().splitlines() if line]
    forbidden = [line for line in lines if line.get("status_code") == 403]
    assert forbidden, lines
    assert all(line["level"] == "INFO" for line in forbidden)
    assert not any("exception" in line for line in forbidden)
    assert not any(line["level"] in ("WARNING", "ERROR") for line in lines)


def test_the_tag_change_page_keeps_other_changes_working(editor, harrow):
    """Changing a tag's service area (not its finding) is unaffected by point 7."""
    finding = harrow.findings.get(number=19)
    (only,) = finding.tags.all()
    data = form_data(editor.get(change_url(only)))
    data["service_area"] = str(ServiceArea.objects.get(slug="adoption").pk)
    assert editor.post(change_url(only), data).status_code == 302
    assert ServiceAreaTag.objects.get(pk=only.pk).service_area.slug == "adoption"
