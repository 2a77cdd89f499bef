"""The search vector reads typographic dashes, quotes, odd spaces and ligatures as plain
ones (harrow_inspection/search.py: the query is read the same way), so the phrase
"multi-agency response" finds a report that printed a non-breaking hyphen. The text
itself is unchanged.

PostgreSQL cannot change a generated column's expression in place (nor can Django), so
the column and its index are dropped and added again: the database computes the new
vector for every row as it adds the column.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0015_roles_import_and_revert"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="finding", name="finding_search_vector"),
        migrations.RemoveField(model_name="finding", name="search_vector"),
        migrations.AddField(
            model_name="finding",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector(
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        django.db.models.functions.text.Replace(
                                            django.db.models.functions.text.Replace(
                                                models.Func(
                                                    models.F("text"),
                                                    models.Value(
                                                        "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2018\u2019\u201a\u201b\u2032\uff07\u201c\u201d\u201e\u201f\u2033\uff02\xa0\u2007\u202f",
                                                        output_field=models.TextField(),
                                                    ),
                                                    models.Value(
                                                        "----------''''''\"\"\"\"\"\"   ",
                                                        output_field=models.TextField(),
                                                    ),
                                                    function="translate",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value(
                                                    "\ufb00", output_field=models.TextField()
                                                ),
                                                models.Value("ff", output_field=models.TextField()),
                                            ),
                                            models.Value("\ufb01", output_field=models.TextField()),
                                            models.Value("fi", output_field=models.TextField()),
                                        ),
                                        models.Value("\ufb02", output_field=models.TextField()),
                                        models.Value("fl", output_field=models.TextField()),
                                    ),
                                    models.Value("\ufb03", output_field=models.TextField()),
                                    models.Value("ffi", output_field=models.TextField()),
                                ),
                                models.Value("\ufb04", output_field=models.TextField()),
                                models.Value("ffl", output_field=models.TextField()),
                            ),
                            models.Value("\ufb05", output_field=models.TextField()),
                            models.Value("st", output_field=models.TextField()),
                        ),
                        models.Value("\ufb06", output_field=models.TextField()),
                        models.Value("st", output_field=models.TextField()),
                    ),
                    config="english",
                ),
                help_text="English full-text search vector of the text, with dashes, quotes and ligatures read as plain ones (harrow_inspection/search.py), kept by PostgreSQL.",
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="finding_search_vector"
            ),
        ),
    ]
