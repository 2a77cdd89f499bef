"""Make the database refuse a finding that stands under another inspection's judgement.

Finding.inspection repeats Finding.judgement.inspection (so paragraph numbers can be
unique per inspection). Django has no composite foreign keys, so this adds one in
SQL: (judgement_id, inspection_id) must match a judgement's (id, inspection_id).
Deferred to the end of the transaction, like Django's own foreign keys.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("judgements", "0002_judgement_areas_and_service_areas")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE judgements_judgement "
                "ADD CONSTRAINT judgement_id_inspection_unique UNIQUE (id, inspection_id)",
                "ALTER TABLE judgements_finding "
                "ADD CONSTRAINT finding_judgement_same_inspection "
                "FOREIGN KEY (judgement_id, inspection_id) "
                "REFERENCES judgements_judgement (id, inspection_id) "
                "DEFERRABLE INITIALLY DEFERRED",
            ],
            reverse_sql=[
                "ALTER TABLE judgements_finding DROP CONSTRAINT finding_judgement_same_inspection",
                "ALTER TABLE judgements_judgement DROP CONSTRAINT judgement_id_inspection_unique",
            ],
        ),
    ]
