"""The counter row says, for each table, which write through it (its version and time)
last moved the counts version (harrow_inspection/data_version.py, `TABLES_BUMP_SQL`): a
text search's count that reads none of the tables changed since it was made follows the
edits of the words (judgements/word_changes.py) instead of being counted again."""

from django.db import migrations, models

from harrow_inspection.data_version import count_changes_by_table


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_counts_version")]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="tables",
            field=models.JSONField(
                default=dict,
                help_text="For each table, the version and the time (Unix) of the write "
                "through it that last moved `counts`: what a text search's count reads to "
                "tell whether it still holds (judgements/word_changes.py).",
            ),
        ),
        *count_changes_by_table("reports_dataversion"),
    ]
