"""Writes to report data bump the data version (harrow_inspection/data_version.py).

These triggers used to be (re)installed by a post_migrate signal, out of the migrations'
sight; now they are migrations like any other schema. A migration that adds a data table
adds `track_changes(table)` for it (tests/test_data_version.py names any table without).
"""

from django.db import migrations

from harrow_inspection.data_version import install_function, track_changes


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_synthetic_flag_and_newest_first_index")]

    operations = [
        install_function("reports_dataversion"),
        *track_changes(
            "reports_glossaryterm",
            "reports_inspection",
            "reports_localauthority",
            "reports_summaryparagraph",
        ),
    ]
