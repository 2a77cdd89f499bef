"""The findings list's order on the findings table itself: `listed_date`, the
inspection's first day, kept by triggers, with one index for the whole ORDER BY.

Before this the list sorted a join with the inspections on every page, and a deep page
(OFFSET 80,000 at 100k findings) read and sorted every row: 300 ms. With the order in
one index, a page of ids is an index-only scan (docs/decisions/performance.md).

The triggers, not the application, keep the copy right: the importer's bulk inserts,
fixtures, restores from history or backup, and a start date corrected in the admin all
go through them.
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION harrow_finding_listed_date() RETURNS trigger AS $$
BEGIN
    NEW.listed_date := (SELECT start_date FROM reports_inspection WHERE id = NEW.inspection_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER harrow_finding_listed_date
BEFORE INSERT OR UPDATE ON judgements_finding
FOR EACH ROW EXECUTE FUNCTION harrow_finding_listed_date();

CREATE FUNCTION harrow_inspection_listed_date() RETURNS trigger AS $$
BEGIN
    UPDATE judgements_finding SET listed_date = NEW.start_date
    WHERE inspection_id = NEW.id AND listed_date IS DISTINCT FROM NEW.start_date;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER harrow_inspection_listed_date
AFTER UPDATE OF start_date ON reports_inspection
FOR EACH ROW WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date)
EXECUTE FUNCTION harrow_inspection_listed_date();

UPDATE judgements_finding AS f SET listed_date = i.start_date
FROM reports_inspection AS i WHERE i.id = f.inspection_id;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS harrow_inspection_listed_date ON reports_inspection;
DROP FUNCTION IF EXISTS harrow_inspection_listed_date();
DROP TRIGGER IF EXISTS harrow_finding_listed_date ON judgements_finding;
DROP FUNCTION IF EXISTS harrow_finding_listed_date();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0010_indexes_for_filters"),
        ("reports", "0004_synthetic_flag_and_newest_first_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="listed_date",
            field=models.DateField(
                editable=False,
                help_text="The inspection's first day, copied here by database triggers "
                "(migration 0011) whatever writes the finding or the inspection, so that the "
                "findings list's newest-first order is one index on this table.",
                null=True,
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                models.OrderBy(models.F("listed_date"), descending=True),
                models.F("inspection_id"),
                models.F("number"),
                models.F("id"),
                name="finding_list_order",
            ),
        ),
    ]
