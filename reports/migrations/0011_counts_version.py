"""The data version gets a second number, `counts`, which moves with the writes that can
change what a list without a text search holds, and not with a paragraph's words edited
(harrow_inspection/data_version.py; docs/decisions/counts-version.md)."""

from django.db import migrations, models

from harrow_inspection.data_version import count_changes


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_sif_summaries_and_reinspections")]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="counts",
            field=models.BigIntegerField(
                default=0,
                help_text="Moves with every write that can change a count, a facet or a "
                "drop-down of a list that is not a text search.",
            ),
        ),
        migrations.AddField(
            model_name="dataversion",
            name="counts_changed_at",
            field=models.DateTimeField(null=True),
        ),
        # the counts version starts where the data version is: two databases sharing one
        # Redis never share a first key
        migrations.RunSQL(
            "UPDATE reports_dataversion SET counts = version, counts_changed_at = changed_at",
            migrations.RunSQL.noop,
        ),
        *count_changes("reports_dataversion"),
    ]
