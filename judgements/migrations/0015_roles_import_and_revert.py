"""Editors may import reports and revert findings and action plans (judgements/roles.py):
the groups' permissions brought up to date, with nobody moved between groups."""

from django.db import migrations


def grant(apps, schema_editor):
    from judgements.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_import_permissions"),
        ("judgements", "0014_revert_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
