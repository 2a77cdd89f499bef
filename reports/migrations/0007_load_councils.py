"""Every database gets the councils of fixtures/councils.csv, as it gets the judgement
areas: the importer resolves a report's council against them and never creates one.

A council already there (Harrow, from its fixture) is matched by slug and completed,
never duplicated. `manage.py load_councils` (run by setup_site) loads a newer table.
"""

from django.db import migrations


def load(apps, schema_editor):
    from reports.council_table import load_councils

    load_councils(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_council_codes"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
