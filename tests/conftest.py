import importlib
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from harrow_inspection import data_version
from reports.models import Inspection
from tests import snapshots

HARROW = "harrow-2020-02"


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Tests serve static files from the apps' folders, without running collectstatic."""
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered afresh in tests; tests/test_page_cache.py turns the cache on.
    Counts are computed in the request after a change (a thread computing them in the
    background would not see a test's uncommitted rows): tests/test_counts_version.py
    turns that on with committed data."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.COUNTS_STALE_SECONDS = 0


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before any fixture is torn down (the database's flush among them): let the thread
    computing counts in the background (tests that turn COUNTS_STALE_SECONDS on) finish
    what the test's requests left it. A count still running while the flush truncates
    every table deadlocks one of the two, and the flush is the one PostgreSQL may cancel
    (so the test errors in its teardown, though it passed). The teardown runs whatever
    happens; a thread that never finished is reported after it."""
    finished = data_version.wait_for_background(seconds=60)
    result = yield
    assert finished, "the background counts never finished"
    return result


@pytest.fixture(scope="session")
def _downloads_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(autouse=True)
def _downloads_outside_the_checkout(settings, _downloads_dir):
    """The whole-database files (judgements/downloads.py) go to a folder of the run's own,
    not the checkout's .local/downloads/."""
    settings.DOWNLOADS_DIR = _downloads_dir


@pytest.fixture(scope="session")
def harrow_rows(django_db_setup, django_db_blocker):
    """The rows `loaddata harrow-2020-02` writes, captured once per run (tests/snapshots.py):
    putting them back costs one COPY per table instead of hundreds of queries."""
    with django_db_blocker.unblock():
        return snapshots.capture(lambda: call_command("loaddata", HARROW, verbosity=0))


@pytest.fixture
def harrow(db, harrow_rows):
    """The Harrow February 2020 report, as loading the project's fixture leaves it."""
    snapshots.restore(harrow_rows)
    return Inspection.objects.get(slug=HARROW)


# What data migrations put in every database, as (module, function).
DATA_MIGRATIONS = [
    ("judgements.migrations.0002_judgement_areas_and_service_areas", "create_vocabulary"),
    ("judgements.migrations.0006_separate_care_judgements_and_tagging_rulebook", "forwards"),
    ("judgements.migrations.0008_roles", "create_roles"),
    ("judgements.migrations.0015_roles_import_and_revert", "grant"),
    (
        "judgements.migrations.0018_automatic_evidence_links_and_new_service_areas",
        "add_service_areas",
    ),
    ("judgements.migrations.0019_review_decisions", "grant"),
    ("judgements.migrations.0020_sif_judgement_areas", "add_sif_areas"),
    ("reports.migrations.0007_load_councils", "load"),
]


@pytest.fixture(scope="session")
def migration_state_apps(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return MigrationLoader(connection).project_state().apps


@pytest.fixture
def migrated_data(transactional_db, migration_state_apps):
    """Put back what the data migrations made (vocabulary, tagging rules, roles).

    Transactional tests (the browser tests, real concurrent transactions) commit, so the
    database is emptied after each; Django's serialized rollback, which would restore it,
    cannot see its saved copy from inside Playwright's event loop, so this re-runs the data
    migrations themselves (each is idempotent) on the latest migration state.
    """
    schema_editor = types.SimpleNamespace(connection=connection)
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(migration_state_apps, schema_editor)


@pytest.fixture
def committed_harrow(migrated_data):
    """The Harrow report, committed, for transactional tests. (loaddata, not the snapshot:
    the emptied database's vocabulary comes back with new ids.)"""
    call_command("loaddata", HARROW, verbosity=0)
    return Inspection.objects.get(slug=HARROW)


@pytest.fixture
def shared_reports_parsed_once(monkeypatch):
    """Importing a report of ../shared/reports/ (or an exact copy of one) reuses its parse
    from earlier in the run; other files (broken ones) go through the parser."""
    import filecmp

    from reports.importing import load
    from tests.report_files import REPORTS, parsed

    parse = load.parse_report

    def once(path):
        path, shared = Path(path), REPORTS / Path(path).name
        if shared.exists() and filecmp.cmp(path, shared, shallow=False):
            return parsed(path.name)
        return parse(path)

    monkeypatch.setattr(load, "parse_report", once)


@pytest.fixture
def harrow_history(harrow, shared_reports_parsed_once):
    """Harrow's 2020 report (the fixture) and its 2025 report (imported from the PDF)."""
    from reports.importing.load import import_report
    from tests.report_files import REPORTS

    import_report(path=REPORTS / "harrow-published-2025-03-04.pdf")
    return Inspection.objects.get(slug="harrow-2025-01")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing, which it is on a fresh
    clone until the run command has collected static files; tests serve from the apps."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once per run, with their manifest, for tests that start
    gunicorn as production does (tests/test_shared_cache.py, tests/test_downloads.py)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=Path(__file__).resolve().parent.parent, check=True, timeout=300,
        env={**os.environ, "STATIC_ROOT": str(root)},
    )  # fmt: skip
    return root


def pytest_sessionfinish(session):
    """The controller of a parallel run removes what its workers shared."""
    if not hasattr(session.config, "workerinput"):
        from tests.report_files import remove_run_folder

        remove_run_folder()


@pytest.fixture
def editor(db):
    from tests.staff_clients import staff_client

    return staff_client("asha", "editor")


@pytest.fixture
def other_editor(db):
    from tests.staff_clients import staff_client

    return staff_client("ben", "editor")


@pytest.fixture
def viewer(db):
    from tests.staff_clients import staff_client

    return staff_client("cleo", "viewer")


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User
    from django.test import Client

    from tests.staff_clients import PASSWORD

    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    return client
