"""Writes to judgements' tables bump the data version (reports 0005 has the function)."""

from django.db import migrations

from harrow_inspection.data_version import track_changes


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0011_finding_listed_date"),
        ("reports", "0005_data_version_triggers"),
    ]

    operations = track_changes(
        "judgements_actionplan",
        "judgements_earliergrade",
        "judgements_evidencelink",
        "judgements_finding",
        "judgements_historicalactionplan",
        "judgements_historicalevidencelink",
        "judgements_historicalfinding",
        "judgements_historicalimprovementaction",
        "judgements_historicaljudgement",
        "judgements_historicalprogressupdate",
        "judgements_historicalserviceareatag",
        "judgements_improvementaction",
        "judgements_judgement",
        "judgements_judgementarea",
        "judgements_progressupdate",
        "judgements_servicearea",
        "judgements_serviceareatag",
        "judgements_taggingrule",
    )
