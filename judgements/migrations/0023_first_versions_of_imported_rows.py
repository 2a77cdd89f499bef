"""A first version in history for every paragraph, improvement action, service-area tag
and evidence link that has none: the importer wrote them with bulk_create, which
django-simple-history does not see, so an imported paragraph's first staff edit had
nothing to compare with (a conflicting save failed on it) and the report's own words
could not be reverted to. The importer now records them itself (reports.importing.load.
record_first_versions); this gives rows imported before it the same, dated now.
Synthetic data (the bench's) is left without, as it was generated."""

from django.db import migrations
from django.utils import timezone

REASON = "Imported from the report (its first version recorded later)"
BATCH = 2000
REAL = {
    "Finding": "inspection__is_synthetic",
    "ImprovementAction": "inspection__is_synthetic",
    "ServiceAreaTag": "finding__inspection__is_synthetic",
    "EvidenceLink": "finding__inspection__is_synthetic",
}


def record_first_versions(apps, schema_editor):
    now = timezone.now()
    for name, synthetic in REAL.items():
        model = apps.get_model("judgements", name)
        historical = apps.get_model("judgements", "Historical" + name)
        fields = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_")
        ]
        recorded = historical._default_manager.values("id")
        rows = (
            model._default_manager.filter(**{synthetic: False})
            .exclude(pk__in=recorded)
            .order_by("pk")
            .values(*fields)
        )
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(
                historical(
                    **row,
                    history_date=now,
                    history_type="+",
                    history_change_reason=REASON,
                )
            )
            if len(batch) == BATCH:
                historical._default_manager.bulk_create(batch)
                batch = []
        historical._default_manager.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0022_search_counts_follow_word_changes"),
        ("reports", "0013_dates_as_printed_and_reread_imports"),
    ]

    operations = [migrations.RunPython(record_first_versions, migrations.RunPython.noop)]
