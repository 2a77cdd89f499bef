"""Importing into the database: what a user of the import commands would notice."""

import re
import shutil
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from judgements.models import (
    Finding,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceAreaTag,
    TaggingRule,
    TagSource,
)
from reports.importing import ReportParseError, load
from reports.importing.load import ImportRefused, import_report
from reports.models import ImportLog, ImportOutcome, Inspection, SummaryParagraph
from tests.report_files import HARROW_2020, REPORTS, corpus_file, parsed, parsed_corpus

pytestmark = pytest.mark.django_db

WALSALL = REPORTS / "walsall-published-2025-07-08.pdf"
SIF = REPORTS / "harrow-published-2017-03-31.pdf"
LAMBETH_2026 = "lambeth-published-2026-03-10.pdf"  # paragraph number 57 printed twice
WINDSOR_2020 = "windsor-and-maidenhead-published-2020-02-24.pdf"  # no paragraph 15


@pytest.fixture(autouse=True)
def _parse_each_shared_report_once(shared_reports_parsed_once):
    """The parser has its own tests: here each shared report is parsed once per session."""


def squash(text):
    return " ".join(text.split())


def snapshot():
    """Row counts of everything an import writes."""
    return {
        model.__name__: model.objects.count()
        for model in [Inspection, SummaryParagraph, Judgement, Finding, ImprovementAction]
    } | {"ServiceAreaTag": ServiceAreaTag.objects.count()}


def test_importing_harrow_2020_gives_exactly_the_fixtures_content(harrow):
    """The hand-made fixture and the importer agree on every word of the report."""
    report = parsed(HARROW_2020.name)
    assert report.slug == harrow.slug
    assert report.local_authority == harrow.local_authority.name
    assert (report.start_date, report.end_date) == (harrow.start_date, harrow.end_date)
    assert (report.lead_inspector, report.lead_inspector_title) == (
        harrow.lead_inspector,
        harrow.lead_inspector_title,
    )
    assert report.title == harrow.title
    assert report.copyright_notice == harrow.copyright_notice
    assert [squash(text) for text in report.summary] == [
        squash(p.text) for p in harrow.summary_paragraphs.order_by("position")
    ]
    assert [squash(a.text) for a in report.actions] == [
        squash(a.text) for a in harrow.improvement_actions.order_by("position")
    ]
    findings = harrow.findings.select_related("judgement__area").order_by("number")
    assert [(p.number, p.area_slug, squash(p.text)) for p in report.paragraphs] == [
        (f.number, f.judgement.area.slug, squash(f.text)) for f in findings
    ]
    judgements = harrow.judgements.select_related("area").order_by("table_position")
    assert [(r.position, r.area_slug, r.grade) for r in report.judgements] == [
        (j.table_position, j.area.slug, j.grade) for j in judgements
    ]


def test_an_import_writes_the_whole_report_and_logs_it():
    result = import_report(path=WALSALL)
    inspection = Inspection.objects.get(slug="walsall-2025-05")
    assert result.outcome == ImportOutcome.IMPORTED
    assert inspection.local_authority.name == "Walsall"
    assert inspection.findings.count() == 54
    assert list(inspection.findings.values_list("number", flat=True)) == list(range(1, 55))
    areas = dict(inspection.judgements.values_list("area__slug", "grade"))
    assert areas["children-in-care"] == 1 and areas["care-leavers"] == 2
    assert inspection.findings.filter(judgement__area__slug="care-leavers").exists()
    action = inspection.improvement_actions.get(position=1)
    assert action.framework_reference == "Outcome 3, national framework"
    log = ImportLog.objects.get()
    assert (log.file_name, log.outcome, log.inspection) == (WALSALL.name, "imported", inspection)
    assert log.sha256 == "33df4ef7a5fa1358732ff434eb0ac1defbce29be6c7244180906ff5684823a88"
    assert log.counts["findings"] == 54 and log.framework_version == "ilacs-2023"


def test_an_inspection_in_two_visits_shows_its_dates_as_the_report_prints_them(client):
    """Derbyshire 2019 was inspected in July and again in August: its page says so, not
    '8 July 2019 to 8 August 2019' as though it were one five-week visit."""
    import_report(path=REPORTS / "derbyshire-published-2019-09-19.pdf")
    printed = "8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019"
    inspection = Inspection.objects.get(local_authority__slug="derbyshire")
    assert inspection.dates_as_printed == printed
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert f'<dd class="govuk-summary-list__value">{printed}</dd>' in page
    api = client.get(f"/api/inspections/{inspection.slug}/", HTTP_ACCEPT="application/json")
    assert api.json()["dates_as_printed"] == printed
    # a report in one visit prints its dates as one span, verbatim too
    import_report(path=WALSALL)
    walsall = Inspection.objects.get(slug="walsall-2025-05")
    assert walsall.dates_as_printed.startswith(f"{walsall.start_date.day} ")
    assert " and " not in walsall.dates_as_printed


def test_imported_findings_get_automatic_unconfirmed_tags():
    import_report(path=WALSALL)
    tags = ServiceAreaTag.objects.filter(finding__inspection__slug="walsall-2025-05")
    assert tags.exists()
    assert set(tags.values_list("source", "confirmed")) == {(TagSource.AUTOMATIC, False)}
    care_leavers = tags.filter(service_area__slug="care-leavers").values_list(
        "finding__judgement__area__slug", flat=True
    )
    assert "care-leavers" in set(care_leavers)


def test_the_same_file_again_changes_nothing_and_says_so(monkeypatch):
    import_report(path=WALSALL)
    before = snapshot()
    monkeypatch.setattr(load, "parse_report", lambda path: pytest.fail("parsed again"))
    result = import_report(path=WALSALL)
    assert result.outcome == ImportOutcome.UNCHANGED
    assert "already imported from this file" in result.message
    assert snapshot() == before
    assert list(ImportLog.objects.values_list("outcome", flat=True)) == ["unchanged", "imported"]


def test_another_file_for_an_inspection_already_there_is_refused_unless_replacing(harrow):
    before = snapshot()
    with pytest.raises(ImportRefused, match=r"already in the database.*--replace"):
        import_report(path=HARROW_2020)
    assert snapshot() == before
    result = import_report(path=HARROW_2020, replace=True)
    assert result.outcome == ImportOutcome.REPLACED
    inspection = Inspection.objects.get(slug="harrow-2020-02")
    assert inspection.findings.count() == 32
    assert not inspection.findings.filter(tags__source=TagSource.MANUAL).exists()
    assert list(ImportLog.objects.values_list("outcome", flat=True)) == ["replaced", "refused"]


def test_a_failure_half_way_leaves_the_database_unchanged(harrow, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ServiceAreaTag.objects, "create_automatic", broken)  # the last step
    before = snapshot()
    with pytest.raises(RuntimeError):
        import_report(path=WALSALL)
    assert snapshot() == before
    assert not Inspection.objects.filter(slug="walsall-2025-05").exists()


def test_a_broken_file_changes_nothing_and_is_logged_as_failed(tmp_path, harrow):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(HARROW_2020.read_bytes()[:50_000])
    before = snapshot()
    with pytest.raises(ReportParseError, match="truncated or damaged"):
        import_report(path=broken)
    assert snapshot() == before
    log = ImportLog.objects.get()
    assert (log.outcome, log.file_name) == ("failed", "broken.pdf")
    assert "truncated or damaged" in log.message


def test_a_dry_run_writes_nothing_not_even_a_log():
    out = StringIO()
    call_command("import_report", str(WALSALL), "--dry-run", stdout=out)
    assert "Walsall (walsall-2025-05, ilacs-2023)" in out.getvalue()
    assert "Lead inspector: Nick Bennison, His Majesty's Inspector" in out.getvalue()
    assert "paragraphs 1 to 54" in out.getvalue()
    assert Inspection.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_import_report_command_fails_with_the_reason(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.touch()
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 reports not imported"):
        call_command("import_report", str(empty), stderr=err)
    assert "the file is empty" in err.getvalue()


def test_batch_import_continues_past_failures_and_ends_with_a_table(tmp_path):
    for source in [HARROW_2020, SIF]:
        shutil.copy(source, tmp_path)
    (tmp_path / "empty.pdf").touch()
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 3 reports failed"):
        call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=out)
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == "[1/3] empty.pdf: refused"  # a line per file where not a terminal
    table = {line.split()[0]: line.split()[1] for line in lines if line.endswith(")")}
    assert table[HARROW_2020.name] == "imported"
    assert table[SIF.name] == "imported"  # the single inspection framework's, read too
    assert re.search(r"^empty.pdf\s+refused\s+.*the file is empty", text, re.M)
    assert re.search(r"^sif-2015\s+1\s+0\s+0\s+0\s+0\s+1$", text, re.M)
    summary = re.search(r"^all" + r"\s+(\d+)" * 6 + "$", text, re.M)
    # imported, with anomalies, re-read, unchanged, refused, total
    assert summary.groups() == ("2", "0", "0", "0", "1", "3")
    assert "2 imported or unchanged, 1 refused" in text
    assert sorted(Inspection.objects.values_list("slug", flat=True)) == [
        "harrow-2017-01",
        "harrow-2020-02",
    ]


def test_a_second_batch_reads_nothing_it_has_already_dealt_with(tmp_path, monkeypatch):
    shutil.copy(HARROW_2020, tmp_path)
    (tmp_path / "empty.pdf").touch()
    with pytest.raises(CommandError):
        call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    logs = ImportLog.objects.count()

    def never(*args, **kwargs):
        raise AssertionError("a file already dealt with was parsed again")

    monkeypatch.setattr("reports.importing.load.parse_report", never)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 reports failed"):  # still refused
        call_command("import_reports", str(tmp_path), stdout=out)
    assert "[2/2] already in the database or refused before" in out.getvalue()
    assert ImportLog.objects.count() == logs  # nothing new to log


def imported_by_an_older_importer(inspection, keep=1):
    """The inspection as importer version 3 left a SIF report: its log at version 3, only
    `keep` summary paragraphs, and no dates as printed."""
    ImportLog.objects.filter(inspection=inspection).update(parser_version="3")
    inspection.summary_paragraphs.filter(position__gt=keep).delete()
    Inspection.objects.filter(pk=inspection.pk).update(dates_as_printed="")


def test_a_newer_importer_re_reads_the_summaries_of_files_an_older_one_imported(tmp_path):
    shutil.copy(SIF, tmp_path)
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    inspection = Inspection.objects.get(slug="harrow-2017-01")
    summaries = list(inspection.summary_paragraphs.values_list("kind", "text"))
    assert len(summaries) > 2
    dates = inspection.dates_as_printed
    findings = dict(inspection.findings.values_list("pk", "text"))
    # staff edit a finding and confirm a tag: a re-read must leave both as they are
    finding = inspection.findings.order_by("number")[2]
    edited = finding.text.replace(" ", "  ", 1)  # a correction, as staff would save it
    Finding.objects.filter(pk=finding.pk).update(text=edited)
    tag = ServiceAreaTag.objects.filter(finding__inspection=inspection).first()
    ServiceAreaTag.objects.filter(pk=tag.pk).update(source=TagSource.MANUAL, confirmed=True)
    imported_by_an_older_importer(inspection)

    out = StringIO()
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=out)
    text = out.getvalue()
    assert re.search(r"^all" + r"\s+(\d+)" * 6 + "$", text, re.M).groups() == (
        "0", "0", "1", "0", "0", "1",  # re-read
    )  # fmt: skip
    assert re.search(
        rf"{SIF.name}\s+re-read\s+.*summary paragraphs 1 \u2192 {len(summaries)}", text
    )
    inspection.refresh_from_db()
    assert list(inspection.summary_paragraphs.values_list("kind", "text")) == summaries
    assert inspection.dates_as_printed == dates
    assert set(inspection.findings.values_list("pk", flat=True)) == set(findings)
    assert Finding.objects.get(pk=finding.pk).text == edited
    tag.refresh_from_db()
    assert (tag.source, tag.confirmed) == (TagSource.MANUAL, True)
    log = ImportLog.objects.latest("pk")
    assert (log.outcome, log.parser_version) == ("re-read", load.PARSER_VERSION)

    # read by this version now: the next start does not open the file again
    again = StringIO()
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=again)
    assert "[1/1] already in the database or refused before" in again.getvalue()


def test_a_re_read_leaves_summaries_staff_have_edited_in_the_admin(tmp_path, admin_client):
    shutil.copy(SIF, tmp_path)
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    inspection = Inspection.objects.get(slug="harrow-2017-01")
    imported_by_an_older_importer(inspection)
    paragraph = inspection.summary_paragraphs.get()
    url = reverse("admin:reports_summaryparagraph_change", args=[paragraph.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["text"] = paragraph.text + " (corrected by staff)"
    assert admin_client.post(url, data).status_code == 302

    out = StringIO()
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=out)
    assert "staff have edited it in the admin, so its summaries and dates stay as they are" in (
        out.getvalue()
    )
    assert list(inspection.summary_paragraphs.values_list("text", flat=True)) == [data["text"]]


def test_a_re_read_does_not_bring_back_a_summary_paragraph_staff_deleted(tmp_path, admin_client):
    shutil.copy(SIF, tmp_path)
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    inspection = Inspection.objects.get(slug="harrow-2017-01")
    imported_by_an_older_importer(inspection, keep=2)
    second = inspection.summary_paragraphs.get(position=2)
    url = reverse("admin:reports_summaryparagraph_delete", args=[second.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    held = list(inspection.summary_paragraphs.values_list("text", flat=True))

    out = StringIO()
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=out)
    assert "staff have edited it in the admin" in out.getvalue()
    assert list(inspection.summary_paragraphs.values_list("text", flat=True)) == held


def test_a_file_that_cannot_be_re_read_stays_as_imported_and_is_tried_again(tmp_path, monkeypatch):
    shutil.copy(SIF, tmp_path)
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    inspection = Inspection.objects.get(slug="harrow-2017-01")
    imported_by_an_older_importer(inspection)
    held = list(inspection.summary_paragraphs.values_list("text", flat=True))
    logs = ImportLog.objects.count()

    def out_of_time(path):
        raise ReportParseError("reading the report took longer than 60 s")

    monkeypatch.setattr("reports.importing.load.parse_report", out_of_time)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 reports failed"):
        call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=out)
    assert re.search(rf"{SIF.name}\s+refused\s+.*could not read it again", out.getvalue())
    assert list(inspection.summary_paragraphs.values_list("text", flat=True)) == held
    assert ImportLog.objects.count() == logs  # nothing logged: the next run tries again

    monkeypatch.undo()
    call_command("import_reports", str(tmp_path), "--jobs", "1", stdout=StringIO())
    assert inspection.summary_paragraphs.count() > len(held)


def test_separate_care_judgement_areas_exist_beside_the_old_ones():
    slugs = list(JudgementArea.objects.filter(framework="ilacs").values_list("slug", flat=True))
    assert slugs == [
        "help-and-protection",
        "children-in-care-and-care-leavers",
        "children-in-care",
        "care-leavers",
        "impact-of-leaders",
        "overall-effectiveness",
    ]


def test_tag_agreement_reports_precision_and_recall_against_the_hand_tags(harrow):
    assert TaggingRule.objects.filter(service_area__slug="care-leavers").exists()
    out = StringIO()
    call_command("tag_agreement", "--inspection", "harrow-2020-02", stdout=out)
    rows = {line[:55].strip(): line[55:].split() for line in out.getvalue().splitlines()[1:]}
    assert rows["Care leavers"][:3] == ["3", "5", "3"]  # manual, automatic, both
    assert rows["All service areas"][0] == "45"


def test_staff_read_the_import_log_and_edit_tagging_rules_in_the_admin(client):
    import_report(path=WALSALL)
    client.force_login(User.objects.create_superuser("admin", password="x"))
    logs = client.get(reverse("admin:reports_importlog_changelist"))
    assert logs.status_code == 200
    assert WALSALL.name in logs.content.decode()
    assert client.get(reverse("admin:reports_importlog_add")).status_code == 403
    rules = client.get(reverse("admin:judgements_taggingrule_changelist"), {"q": "pathway"})
    assert "pathway plans?" in rules.content.decode()


def test_batch_import_of_a_folder_that_is_not_there_says_so(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_reports", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="no PDF files in"):
        call_command("import_reports", str(tmp_path))


def test_the_import_log_names_the_user_given_on_the_command_line():
    User.objects.create_user("clerk")
    call_command("import_report", str(WALSALL), "--user", "clerk", stdout=StringIO())
    assert ImportLog.objects.get().user.username == "clerk"
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        call_command("import_report", str(WALSALL), "--user", "nobody")


@pytest.fixture
def importer(client):
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("importer", "importer@example.org", "a long passphrase 42")
    client.force_login(user)
    return client


def test_staff_upload_preview_then_confirm_imports_the_report(importer):
    upload = "/admin/reports/importlog/import/"
    assert "Import a report" in importer.get("/admin/reports/importlog/").content.decode()
    with open(WALSALL, "rb") as pdf:
        preview = importer.post(upload, {"report": pdf})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Nothing has been saved yet" in content
    assert "Walsall" in content
    assert not Inspection.objects.exists()  # the preview wrote nothing
    done = importer.post(upload, {"confirm": "1"}, follow=True)
    assert Inspection.objects.get().local_authority.name == "Walsall"
    log = ImportLog.objects.get()
    assert (log.file_name, log.user.username) == (WALSALL.name, "importer")
    assert "imported" in done.content.decode()
    # the same file again: the preview says so before anyone presses "Import"
    with open(WALSALL, "rb") as pdf:
        again = importer.post(upload, {"report": pdf}).content.decode()
    assert "This file is already imported, as" in again and "walsall-2025-05" in again
    # with "Replace" it is no longer "changes nothing": it says what is deleted
    with open(WALSALL, "rb") as pdf:
        replacing = importer.post(upload, {"report": pdf, "replace": "on"}).content.decode()
    assert "changes nothing" not in replacing
    assert "action plans and progress updates are deleted" in replacing


def test_staff_upload_of_a_file_that_is_not_a_report_says_why(importer, tmp_path):
    not_pdf = tmp_path / "minutes.pdf"
    not_pdf.write_text("These are meeting minutes, not a report.")
    with open(not_pdf, "rb") as upload_file:
        response = importer.post("/admin/reports/importlog/import/", {"report": upload_file})
    assert response.status_code == 200
    assert "This file could not be read as a report" in response.content.decode()
    assert not Inspection.objects.exists()
    # the refusal is in the import log, as every attempt is (README)
    log = ImportLog.objects.get()
    assert (log.file_name, log.outcome, log.user.username) == ("minutes.pdf", "failed", "importer")
    assert log.message.startswith("Uploaded in the admin and refused: ")


def test_confirming_without_an_upload_imports_nothing(importer):
    response = importer.post("/admin/reports/importlog/import/", {"confirm": "1"}, follow=True)
    assert "There is no uploaded report waiting" in response.content.decode()
    assert not Inspection.objects.exists()


def test_staff_without_the_import_permission_cannot_upload(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("viewer", password="x", is_staff=True))
    assert client.get("/admin/reports/importlog/import/").status_code == 403


def test_a_batch_imports_in_parallel_processes(tmp_path, migrated_data):
    """Two worker processes, each with its own connection: every report goes in once."""
    names = ["walsall-published-2025-07-08.pdf", "surrey-published-2025-05-09.pdf"]
    for name in names:
        shutil.copy(REPORTS / name, tmp_path)
    out = StringIO()
    call_command("import_reports", str(tmp_path), "--jobs", "2", stdout=out)
    assert Inspection.objects.count() == 2
    assert ImportLog.objects.filter(outcome="imported").count() == 2
    assert "2 imported or unchanged, 0 refused" in out.getvalue()


def index_row(file_name):
    """The shared reports index's row for a file: what Ofsted's site says about it."""
    import csv

    index = REPORTS / "INDEX.csv"
    assert index.exists(), f"{index} is missing: the tests need the shared folder ../shared/"
    with open(index, newline="", encoding="utf-8") as file:
        return next(row for row in csv.DictReader(file) if row["file"] == file_name)


def test_an_import_records_publication_date_and_address_from_the_manifest(client):
    import datetime

    expected = index_row(WALSALL.name)
    inspection = import_report(path=WALSALL).inspection
    inspection.refresh_from_db()
    assert inspection.published_on == datetime.date.fromisoformat(expected["published"])
    assert inspection.source_url == expected["ofsted_url"]
    assert inspection.local_authority.slug == "walsall"  # by the manifest's URN
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert f"Published {inspection.published_on:%-d %B %Y}" in page
    link = f'<a class="govuk-link" href="{expected["ofsted_url"]}">Ofsted’s report (PDF)</a>'
    assert link in page
    api = client.get(f"/api/inspections/{inspection.slug}/").json()
    assert (api["published_on"], api["source_url"]) == (
        expected["published"],
        expected["ofsted_url"],
    )


def test_a_file_the_manifest_does_not_know_gets_what_the_command_line_says(tmp_path):
    copy = tmp_path / "walsall.pdf"
    copy.write_bytes(WALSALL.read_bytes() + b"\n% a byte more: not the file Ofsted publishes\n")
    call_command(
        "import_report", str(copy), "--published", "2025-07-09",
        "--source-url", "https://example.org/walsall.pdf", stdout=StringIO(),
    )  # fmt: skip
    inspection = Inspection.objects.get(slug="walsall-2025-05")
    assert str(inspection.published_on) == "2025-07-09"
    assert inspection.source_url == "https://example.org/walsall.pdf"


def test_a_file_nobody_describes_has_no_publication_date(tmp_path):
    copy = tmp_path / "walsall.pdf"
    copy.write_bytes(WALSALL.read_bytes() + b"\n% changed\n")
    inspection = import_report(path=copy).inspection
    assert (inspection.published_on, inspection.source_url) == (None, "")
    assert inspection.local_authority.slug == "walsall"  # by the name it prints


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--published", "9 July 2025", "is not a date: use YYYY-MM-DD"),
        ("--source-url", "javascript:alert(1)", "is not an http"),
    ],
)
def test_bad_publication_options_are_refused_before_anything_is_imported(option, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_report", str(WALSALL), option, value, stdout=StringIO())
    assert not Inspection.objects.exists() and not ImportLog.objects.exists()


def test_a_report_of_a_council_not_in_the_table_is_refused_naming_the_closest(tmp_path):
    from reports.models import LocalAuthority

    LocalAuthority.objects.filter(slug="walsall").update(name="Walsal")
    copy = tmp_path / "walsall.pdf"  # not the manifest's file, so no URN to go by
    copy.write_bytes(WALSALL.read_bytes() + b"\n% changed\n")
    councils = LocalAuthority.objects.count()
    with pytest.raises(ReportParseError, match=r"'Walsall'.*the closest are Walsal"):
        import_report(path=copy)
    assert not Inspection.objects.exists()
    assert LocalAuthority.objects.count() == councils
    log = ImportLog.objects.get()
    assert log.outcome == "failed" and "Walsall" in log.message


def test_every_shared_report_keeps_the_inspection_address_it_had():
    """The inspection's slug is its council's slug and year-month, as the parser made it."""
    from reports.importing.load import authority_of

    for path in sorted(REPORTS.glob("*.pdf")):
        try:
            report = parsed(path.name)
        except ReportParseError:
            continue
        authority = authority_of(report)
        assert f"{authority.slug}-{report.start_date:%Y-%m}" == report.slug, path.name


def test_staff_upload_can_give_the_publication_date_and_address(importer, tmp_path):
    copy = tmp_path / "walsall.pdf"
    copy.write_bytes(WALSALL.read_bytes() + b"\n% changed\n")
    upload = "/admin/reports/importlog/import/"
    with open(copy, "rb") as pdf:
        preview = importer.post(
            upload,
            {"report": pdf, "published": "2025-07-08", "source_url": "https://example.org/w.pdf"},
        )
    assert "Nothing has been saved yet" in preview.content.decode()
    importer.post(upload, {"confirm": "1"}, follow=True)
    inspection = Inspection.objects.get()
    assert (str(inspection.published_on), inspection.source_url) == (
        "2025-07-08",
        "https://example.org/w.pdf",
    )


def test_numbering_slips_are_imported_as_printed_and_recorded_on_log_and_inspection(client):
    import_report(path=corpus_file(WINDSOR_2020))
    inspection = Inspection.objects.get(slug="windsor-and-maidenhead-2020-01")
    numbers = list(inspection.findings.values_list("number", flat=True))
    assert numbers == [*range(1, 15), *range(16, 46)]
    anomaly = "paragraph 15 is not printed: paragraph 16 (page 6) follows paragraph 14"
    assert inspection.anomalies == [anomaly]
    log = ImportLog.objects.get()
    assert (log.outcome, log.anomalies) == (ImportOutcome.IMPORTED, [anomaly])
    assert anomaly in log.message
    assert client.get(f"/inspections/{inspection.slug}/findings/16/").status_code == 200
    assert client.get(f"/inspections/{inspection.slug}/findings/15/").status_code == 404


def test_a_paragraph_number_printed_twice_is_citable_under_the_next_unprinted_number(client):
    result = import_report(path=corpus_file(LAMBETH_2026))
    inspection = result.inspection
    findings = {f.number: f for f in inspection.findings.select_related("judgement__area")}
    assert findings[57].text.startswith("Care leavers who are parents receive intensive")
    assert findings[57].judgement.area.slug == "care-leavers"
    assert findings[70].text.startswith("Senior leaders in Lambeth provide effective")
    assert findings[70].judgement.area.slug == "impact-of-leaders"
    assert sorted(findings) == list(range(1, 71))
    (anomaly,) = inspection.anomalies
    assert "paragraph number 57 is printed twice" in anomaly and "stored as paragraph 70" in anomaly
    assert ImportLog.objects.get().anomalies == inspection.anomalies
    page = client.get(f"/inspections/{inspection.slug}/findings/70/")
    assert "Senior leaders in Lambeth provide effective" in page.content.decode()


def test_a_report_without_anomalies_records_none():
    import_report(path=WALSALL)
    assert Inspection.objects.get().anomalies == []
    assert ImportLog.objects.get().anomalies == []


def test_staff_see_the_anomalies_read_only_in_the_admin(client):
    import_report(path=corpus_file(WINDSOR_2020))
    inspection = Inspection.objects.get()
    client.force_login(User.objects.create_superuser("admin", password="x"))
    change = client.get(reverse("admin:reports_inspection_change", args=[inspection.pk]))
    content = change.content.decode()
    assert "paragraph 15 is not printed" in content
    assert 'name="anomalies"' not in content  # shown, not an input
    assert 'name="lead_inspector"' in content  # the rest stays editable
    log = ImportLog.objects.get()
    view = client.get(reverse("admin:reports_importlog_change", args=[log.pk]))
    assert "paragraph 15 is not printed" in view.content.decode()
    assert 'name="anomalies"' not in view.content.decode()


def test_a_report_that_names_no_lead_inspector_is_imported_and_says_so(client):
    devon = parsed_corpus("devon-published-2025-05-13.pdf")
    out = StringIO()
    call_command("import_report", str(corpus_file("devon-published-2025-05-13.pdf")), stdout=out)
    inspection = Inspection.objects.get(slug=devon.slug)
    assert (inspection.lead_inspector, inspection.lead_inspector_title) == ("", "")
    assert inspection.anomalies == devon.anomalies
    page = client.get(f"/inspections/{inspection.slug}/").content.decode()
    assert "Not named in the report" in page
    assert "the report names no lead inspector" in out.getvalue()
