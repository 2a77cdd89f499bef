"""Every write that changes paragraphs' words logs their search vectors as they were
(judgements/word_changes.py), so that a text search's count follows the edit without
counting every match again. The roles' permissions are brought up to date, so that Viewers
and Editors may read the log in the admin as they read the change counter."""

import django.contrib.postgres.search
from django.db import migrations, models

from judgements.word_changes import install_sql


def grant(apps, schema_editor):
    from judgements.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0021_text_edits_move_no_counts"),
        ("reports", "0011_counts_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="WordsChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(help_text="The data version of the write.")),
                ("finding_id", models.BigIntegerField()),
                ("old_vector", django.contrib.postgres.search.SearchVectorField()),
                ("logged_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "paragraph's words before an edit",
                "verbose_name_plural": "paragraphs' words before edits",
                "indexes": [
                    models.Index(fields=["version"], name="words_change_version"),
                    models.Index(fields=["logged_at"], name="words_change_logged_at"),
                ],
            },
        ),
        migrations.RunSQL(
            install_sql(
                log="judgements_wordschange",
                findings="judgements_finding",
                counter="reports_dataversion",
            ),
            "DROP TRIGGER IF EXISTS harrow_finding_words_logged ON judgements_finding;"
            "DROP FUNCTION IF EXISTS harrow_log_word_changes()",
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
