"""Judgement areas say which framework grades them, and the single inspection framework's
(SIF, 2013-2018) are added: its four judgements, the two sub-judgements of children looked
after (under their parent), the overall judgement, and the LSCB review, which grades the
board, not the council. Recommendations say to whom they are addressed."""

import django.db.models.deletion
from django.db import migrations, models

#: slug, name as SIF reports word it, short name (never the same as an ILACS area's),
#: parent slug, whose work it judges; in the order of a report's sections.
SIF_AREAS = [
    (
        "sif-help-and-protection",
        "Children who need help and protection",
        "Help and protection (SIF)",
        None,
        "local-authority",
    ),
    (
        "sif-children-looked-after",
        "Children looked after and achieving permanence",
        "Children looked after (SIF)",
        None,
        "local-authority",
    ),
    (
        "sif-adoption",
        "Adoption performance",
        "Adoption performance (SIF)",
        "sif-children-looked-after",
        "local-authority",
    ),
    (
        "sif-care-leavers",
        "Experiences and progress of care leavers",
        "Care leavers (SIF)",
        "sif-children-looked-after",
        "local-authority",
    ),
    (
        "sif-leadership",
        "Leadership, management and governance",
        "Leadership, management and governance (SIF)",
        None,
        "local-authority",
    ),
    (
        "sif-overall",
        "Children's services overall",
        "Overall judgement (SIF)",
        None,
        "local-authority",
    ),
    (
        "sif-lscb",
        "The effectiveness of the Local Safeguarding Children Board",
        "Local Safeguarding Children Board (SIF)",
        None,
        "lscb",
    ),
]
FIRST_POSITION = 11  # after the ILACS areas


def add_sif_areas(apps, schema_editor):
    JudgementArea = apps.get_model("judgements", "JudgementArea")
    for position, (slug, name, short_name, parent, judged) in enumerate(
        SIF_AREAS, start=FIRST_POSITION
    ):
        JudgementArea.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "position": position,
                "framework": "sif",
                "parent": JudgementArea.objects.get(slug=parent) if parent else None,
                "judged": judged,
            },
        )


def remove_sif_areas(apps, schema_editor):
    apps.get_model("judgements", "JudgementArea").objects.filter(framework="sif").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0019_review_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalimprovementaction",
            name="addressed_to",
            field=models.CharField(
                choices=[
                    ("local-authority", "The local authority"),
                    ("lscb", "The Local Safeguarding Children Board (LSCB)"),
                ],
                default="local-authority",
                help_text="To whom the report addresses it: SIF reports make recommendations to the council and, in the LSCB's review, to the board.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="improvementaction",
            name="addressed_to",
            field=models.CharField(
                choices=[
                    ("local-authority", "The local authority"),
                    ("lscb", "The Local Safeguarding Children Board (LSCB)"),
                ],
                default="local-authority",
                help_text="To whom the report addresses it: SIF reports make recommendations to the council and, in the LSCB's review, to the board.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="judgementarea",
            name="framework",
            field=models.CharField(
                choices=[
                    ("ilacs", "Inspection of local authority children's services (ILACS)"),
                    ("sif", "Single inspection framework (SIF)"),
                    ("focused-visit", "ILACS focused visit"),
                    ("monitoring-visit", "Monitoring visit"),
                ],
                default="ilacs",
                help_text="The inspection framework whose reports grade this area.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="judgementarea",
            name="judged",
            field=models.CharField(
                choices=[
                    ("local-authority", "The local authority"),
                    ("lscb", "The Local Safeguarding Children Board (LSCB)"),
                ],
                default="local-authority",
                help_text="Whose work it grades: the council's, or the LSCB's.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="judgementarea",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                help_text="The judgement this is a sub-judgement of (SIF 2.1 and 2.2).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sub_areas",
                to="judgements.judgementarea",
            ),
        ),
        migrations.RunPython(add_sif_areas, remove_sif_areas),
    ]
