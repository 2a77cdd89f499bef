"""The 2023 ILACS layout grades children in care and care leavers separately: two
judgement areas with stable slugs (existing slugs unchanged; positions renumbered so
sections sort as reports print them). And the first keyword rulebook for automatic
service-area tags, editable later in the admin (judgements.TaggingRule)."""

from django.db import migrations

JUDGEMENT_AREAS = [
    # slug, name as reports word it, short name; in the order of a report's sections
    (
        "help-and-protection",
        "The experiences and progress of children who need help and protection",
        "Help and protection",
    ),
    (
        "children-in-care-and-care-leavers",
        "The experiences and progress of children in care and care leavers",
        "Children in care and care leavers",
    ),
    ("children-in-care", "The experiences and progress of children in care", "Children in care"),
    ("care-leavers", "The experiences and progress of care leavers", "Care leavers"),
    (
        "impact-of-leaders",
        "The impact of leaders on social work practice with children and families",
        "Impact of leaders",
    ),
    ("overall-effectiveness", "Overall effectiveness", "Overall effectiveness"),
]

# service-area slug: case-insensitive regular expressions, matched at word boundaries
TAGGING_RULES = {
    "early-help": [r"early help"],
    "front-door": [
        r"MASH",
        r"front door",
        r"thresholds?",
        r"contacts? and referrals?",
        r"multi-agency safeguarding hub",
    ],
    "child-protection": [
        r"child protection",
        r"strategy (meetings?|discussions?)",
        r"out of hours",
        r"emergency duty",
    ],
    "children-in-need": [r"child(ren)? in need", r"CIN"],
    "exploitation-and-missing": [
        r"exploitation",
        r"exploited",
        r"missing from (home|care)",
        r"go(es)? missing",
        r"return home interviews?",
        r"gangs?",
    ],
    "disabled-children": [r"disabled children", r"children with disabilities", r"disabilit(y|ies)"],
    "private-fostering": [r"private(ly)? fostering", r"privately fostered"],
    "allegations-against-adults": [r"allegations?", r"designated officer", r"LADO"],
    "education-and-attendance": [
        r"electively home educated",
        r"elective home education",
        r"missing education",
        r"reduced timetables?",
        r"alternative (education|provision)",
    ],
    "court-and-pre-proceedings": [
        r"pre-proceedings",
        r"public law outline",
        r"PLO",
        r"care proceedings",
        r"court",
    ],
    "children-in-care": [
        r"children in care",
        r"independent reviewing officers?",
        r"IROs?",
        r"family time",
        r"life-story",
        r"advocacy",
    ],
    "permanence-and-placements": [
        r"permanence",
        r"placements?",
        r"special guardianship",
        r"sufficiency",
        r"stability",
    ],
    "fostering": [r"foster carers?", r"fostering"],
    "adoption": [r"adopt(ion|ers?|ed)", r"regional adoption agency"],
    "virtual-school": [r"virtual school", r"personal education plans?", r"PEPs?"],
    "health": [r"health", r"emotional well-being", r"mental health"],
    "care-leavers": [
        r"care leavers?",
        r"pathway plans?",
        r"personal advisers?",
        r"care-experienced",
    ],
    "leadership-and-governance": [
        r"senior leaders",
        r"elected members",
        r"corporate parent(s|ing)?",
        r"partnership",
        r"chief executive",
        r"lead member",
    ],
    "workforce": [
        r"workforce",
        r"caseloads?",
        r"recruit(ment|ed)?",
        r"retention",
        r"morale",
        r"newly qualified",
        r"agency staff",
    ],
    "quality-assurance": [
        r"audits?",
        r"supervision",
        r"management oversight",
        r"performance (information|data)",
        r"quality assurance",
        r"self-assessment",
    ],
}


def forwards(apps, schema_editor):
    JudgementArea = apps.get_model("judgements", "JudgementArea")
    ServiceArea = apps.get_model("judgements", "ServiceArea")
    TaggingRule = apps.get_model("judgements", "TaggingRule")
    for position, (slug, name, short_name) in enumerate(JUDGEMENT_AREAS, start=1):
        JudgementArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "position": position}
        )
    for slug, patterns in TAGGING_RULES.items():
        area = ServiceArea.objects.get(slug=slug)
        for pattern in patterns:
            TaggingRule.objects.get_or_create(service_area=area, pattern=pattern)


def backwards(apps, schema_editor):
    JudgementArea = apps.get_model("judgements", "JudgementArea")
    JudgementArea.objects.filter(slug__in=["children-in-care", "care-leavers"]).delete()
    for position, slug in enumerate(
        [
            "help-and-protection",
            "children-in-care-and-care-leavers",
            "impact-of-leaders",
            "overall-effectiveness",
        ],
        start=1,
    ):
        JudgementArea.objects.filter(slug=slug).update(position=position)


class Migration(migrations.Migration):
    dependencies = [("judgements", "0005_import_fields_and_tagging_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
