"""`manage.py setup_site`, which the run command calls on every start."""

import pytest
from django.core.management import call_command

from judgements.models import Finding
from reports.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    return tmp_path


def test_setup_site_loads_the_harrow_report_into_an_empty_database(static_root):
    call_command("setup_site", verbosity=0)
    assert Inspection.objects.get().slug == "harrow-2020-02"
    assert Finding.objects.count() == 32
    assert (static_root / "admin" / "css").is_dir()


def test_setup_site_never_overwrites_staff_edits(static_root, harrow):
    Finding.objects.filter(number=7).update(text="Corrected by staff.")
    call_command("setup_site", verbosity=0)
    assert Finding.objects.get(number=7).text == "Corrected by staff."
    assert Finding.objects.count() == 32
