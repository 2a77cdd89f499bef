"""The glossary's abbreviations came from the Harrow 2020 report alone: the frameworks'
own (ILACS, SIF) and the ones every SIF report uses (LSCB, LADO) were missing, though
every page of the site uses the first two. Added where absent; an edited one is kept."""

from django.db import migrations

TERMS = {
    "ILACS": "inspection of local authority children's services (Ofsted's framework since 2018)",
    "SIF": "single inspection framework (Ofsted's framework from 2013 to 2018)",
    "LSCB": "Local Safeguarding Children Board",
    "LADO": "local authority designated officer",
}


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("reports", "GlossaryTerm")
    for abbreviation, expansion in TERMS.items():
        GlossaryTerm.objects.get_or_create(
            abbreviation=abbreviation, defaults={"expansion": expansion}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0013_dates_as_printed_and_reread_imports")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
