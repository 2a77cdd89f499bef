"""The Editors and Viewers groups, with their permissions (judgements/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from judgements.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from judgements.roles import EDITORS, VIEWERS

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, VIEWERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
        ("judgements", "0007_history_and_action_plans"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
