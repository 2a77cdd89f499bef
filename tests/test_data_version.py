"""Every table of report data is watched by the data-version trigger, installed by
migrations: a new table without one would let kept pages and cached counts go stale."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from harrow_inspection import data_version

pytestmark = pytest.mark.django_db

NOT_DATA = {
    settings.DATA_VERSION_MODEL,  # the counter itself
    "reports.ImportLog",  # a record of attempts, not something a page shows
    "judgements.WordsChange",  # words as they were, for counts (judgements/word_changes.py)
}


def data_tables():
    return {
        model._meta.db_table
        for label in ("reports", "judgements")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.label not in NOT_DATA and not model._meta.proxy
    }


def test_every_data_table_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = %s",
            [data_version.TRIGGER_NAME],
        )
        watched = {row[0] for row in cursor.fetchall()}
    missing = sorted(data_tables() - watched)
    assert not missing, (
        f"No data-version trigger on {missing}: add "
        "`*track_changes(table, …)` (harrow_inspection.data_version) to the migration "
        "that creates each table."
    )


def test_a_write_through_sql_bumps_the_version(harrow):
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE judgements_finding SET text = text || '' WHERE number = 24")
    assert data_version.current()[0] > before[0]
