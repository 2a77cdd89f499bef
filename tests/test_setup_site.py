"""`manage.py setup_site`, which the run command calls on every start."""

import io
import shutil

import pytest
from django.core.management import call_command

from judgements.models import Finding
from reports.models import ImportLog, Inspection
from tests.report_files import REPORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.STATIC_ROOT


@pytest.fixture
def reports_dir(settings, tmp_path):
    """A reports folder holding Harrow's 2020 and 2025 PDFs (in a subfolder, as
    ../shared/ holds them)."""
    folder = tmp_path / "shared" / "reports"
    folder.mkdir(parents=True)
    for name in ["harrow-published-2020-03-16.pdf", "harrow-published-2025-03-04.pdf"]:
        shutil.copy(REPORTS / name, folder)
    settings.REPORTS_DIR = tmp_path / "shared"
    return folder


def test_setup_site_loads_harrows_reports_into_an_empty_database(
    static_root, reports_dir, shared_reports_parsed_once
):
    call_command("setup_site", jobs=1, verbosity=0, stdout=io.StringIO())
    assert list(Inspection.objects.order_by("start_date").values_list("slug", flat=True)) == [
        "harrow-2020-02",
        "harrow-2025-01",
    ]
    assert Finding.objects.filter(inspection__slug="harrow-2020-02").count() == 32
    assert Finding.objects.filter(inspection__slug="harrow-2025-01").count() == 59
    assert (static_root / "admin" / "css").is_dir()


def test_setup_site_never_overwrites_staff_edits_or_imports_twice(
    static_root, reports_dir, harrow, shared_reports_parsed_once
):
    call_command("setup_site", jobs=1, verbosity=0, stdout=io.StringIO())
    Finding.objects.filter(inspection=harrow, number=7).update(text="Corrected by staff.")
    logs = ImportLog.objects.count()
    out = io.StringIO()
    call_command("setup_site", jobs=1, verbosity=0, stdout=out)
    assert Finding.objects.get(inspection=harrow, number=7).text == "Corrected by staff."
    assert Inspection.objects.count() == 2
    assert ImportLog.objects.count() == logs  # a restart is not an import attempt
    assert "[2/2] already in the database or refused before" in out.getvalue()
