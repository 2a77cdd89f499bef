import pytest
from django.core.management import call_command

from reports.models import Inspection

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


@pytest.fixture
def harrow(db):
    """The Harrow February 2020 report, loaded from the project's fixture."""
    call_command("loaddata", HARROW, verbosity=0)
    return Inspection.objects.get(slug=HARROW)
