"""Automatic evidence links (source and confirmed, as tags have), a finding's deliberate
"none of the service areas", and five service areas the corpus needs (issue 15; the
volume that justifies each is in docs/decisions/service-area-taxonomy.md). Every area's
position is set so that the list follows a report's order; slugs are stable."""

from django.db import migrations, models

NEW_SERVICE_AREAS = {
    "homeless-young-people": (
        "Homeless 16- and 17-year-olds",
        "Young people aged 16 and 17 who present as homeless: joint assessments with housing, "
        "information about their right to be looked after, and the accommodation and support "
        "they are offered.",
    ),
    "young-carers": (
        "Young carers",
        "Children who care for a parent or family member: how they are identified and "
        "assessed, and the support and groups offered to them.",
    ),
    "unaccompanied-children": (
        "Unaccompanied and separated children",
        "Unaccompanied asylum-seeking and separated migrant children, in care and as care "
        "leavers: their arrival, age assessment, immigration status, culture, language and "
        "support.",
    ),
    "participation": (
        "Children's participation",
        "How children and young people influence services: children in care councils, care "
        "leavers' forums, youth voice and participation teams, and co-production with "
        "children.",
    ),
    "corporate-parenting": (
        "Corporate parenting",
        "The council and its partners as corporate parents: the corporate parenting board or "
        "panel, elected members' and the council's commitment to children in care and care "
        "leavers, and the care leaver offer as a council pledge.",
    ),
}
#: Every service area in the order of a report; each new one beside its nearest.
ORDER = [
    "early-help", "front-door", "child-protection", "children-in-need",
    "homeless-young-people", "exploitation-and-missing", "disabled-children", "young-carers",
    "private-fostering", "allegations-against-adults", "education-and-attendance",
    "court-and-pre-proceedings", "children-in-care", "unaccompanied-children",
    "permanence-and-placements", "fostering", "adoption", "virtual-school", "health",
    "care-leavers", "leadership-and-governance", "corporate-parenting", "workforce",
    "quality-assurance", "participation",
]  # fmt: skip


def add_service_areas(apps, schema_editor):
    ServiceArea = apps.get_model("judgements", "ServiceArea")
    for slug, (name, description) in NEW_SERVICE_AREAS.items():
        # An area staff already made keeps its words: by slug, left as it is; by name
        # (the same area under another address), given the stable slug.
        if ServiceArea.objects.filter(slug=slug).exists():
            continue
        if ServiceArea.objects.filter(name=name).update(slug=slug):
            continue
        ServiceArea.objects.create(slug=slug, name=name, description=description)
    for position, slug in enumerate(ORDER, start=1):
        ServiceArea.objects.filter(slug=slug).update(position=position)


def remove_service_areas(apps, schema_editor):
    ServiceArea = apps.get_model("judgements", "ServiceArea")
    ServiceArea.objects.filter(slug__in=NEW_SERVICE_AREAS, tags__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0017_index_for_the_paragraph_sort"),
    ]

    operations = [
        migrations.RunPython(add_service_areas, remove_service_areas),
        migrations.AddField(
            model_name="evidencelink",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="Automatic links stay unconfirmed until a person checks them.",
            ),
        ),
        migrations.AddField(
            model_name="evidencelink",
            name="source",
            field=models.CharField(
                choices=[
                    ("manual", "Linked by a person"),
                    ("automatic", "Linked automatically by the evidence linker"),
                ],
                default="manual",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="no_service_area",
            field=models.BooleanField(
                default=False,
                help_text="A person decided that no service area fits this paragraph (it then has no tags, and re-tagging leaves it alone).",
                verbose_name="none of the service areas",
            ),
        ),
        migrations.AddField(
            model_name="historicalevidencelink",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="Automatic links stay unconfirmed until a person checks them.",
            ),
        ),
        migrations.AddField(
            model_name="historicalevidencelink",
            name="source",
            field=models.CharField(
                choices=[
                    ("manual", "Linked by a person"),
                    ("automatic", "Linked automatically by the evidence linker"),
                ],
                default="manual",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalfinding",
            name="no_service_area",
            field=models.BooleanField(
                default=False,
                help_text="A person decided that no service area fits this paragraph (it then has no tags, and re-tagging leaves it alone).",
                verbose_name="none of the service areas",
            ),
        ),
        migrations.AlterField(
            model_name="historicalserviceareatag",
            name="source",
            field=models.CharField(
                choices=[
                    ("manual", "Tagged by a person"),
                    ("automatic", "Tagged automatically by the tagger"),
                ],
                default="manual",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="serviceareatag",
            name="source",
            field=models.CharField(
                choices=[
                    ("manual", "Tagged by a person"),
                    ("automatic", "Tagged automatically by the tagger"),
                ],
                default="manual",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalserviceareatag",
            name="tagger",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The version of the tagger that made an automatic tag (TAGGER_VERSION).",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="serviceareatag",
            name="tagger",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The version of the tagger that made an automatic tag (TAGGER_VERSION).",
                max_length=40,
            ),
        ),
    ]
