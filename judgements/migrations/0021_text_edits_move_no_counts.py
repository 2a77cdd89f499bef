"""A paragraph's words edited, a history row or a review decision no longer moves the
`counts` version (reports 0011): they change no count, facet or drop-down of a list that is
not a text search. Every other write still moves both numbers."""

from django.db import migrations

from harrow_inspection.data_version import (
    finding_updates_count_only_if_counted_columns_change,
    track_changes_counting_nothing,
)


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0020_sif_judgement_areas"),
        ("reports", "0011_counts_version"),
    ]

    operations = [
        *finding_updates_count_only_if_counted_columns_change(),
        *track_changes_counting_nothing(
            "judgements_historicalactionplan",
            "judgements_historicalevidencelink",
            "judgements_historicalfinding",
            "judgements_historicalimprovementaction",
            "judgements_historicaljudgement",
            "judgements_historicalprogressupdate",
            "judgements_historicalserviceareatag",
            "judgements_reviewdecision",
        ),
    ]
