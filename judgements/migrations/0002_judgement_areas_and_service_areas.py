"""The vocabulary every database needs: ILACS judgement areas and the service-area
taxonomy. Slugs are stable (web addresses and the API use them); names and
descriptions can be refined in the admin."""

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
    (
        "impact-of-leaders",
        "The impact of leaders on social work practice with children and families",
        "Impact of leaders",
    ),
    ("overall-effectiveness", "Overall effectiveness", "Overall effectiveness"),
]

SERVICE_AREAS = [
    (
        "early-help",
        "Early help",
        "Help for families before statutory social care is needed: early help hubs and "
        "practitioners, and the step between early help and social care.",
    ),
    (
        "front-door",
        "Front door: contacts, referrals and thresholds",
        "The multi-agency safeguarding hub (MASH), screening of contacts and referrals, "
        "consent, and how thresholds for help and protection are understood and applied.",
    ),
    (
        "child-protection",
        "Child protection",
        "Children at risk of significant harm: strategy meetings, child protection enquiries, "
        "conferences and plans, and the out-of-hours service.",
    ),
    (
        "children-in-need",
        "Children in need",
        "Social work with children in need of help: visits, direct work, assessments, plans "
        "and caseloads in the assessment and long-term teams.",
    ),
    (
        "exploitation-and-missing",
        "Exploitation and missing children",
        "Children who go missing from home or care, and children at risk of sexual or criminal "
        "exploitation, gangs or violence; return home interviews.",
    ),
    (
        "disabled-children",
        "Disabled children",
        "Services for children with disabilities and their families.",
    ),
    (
        "private-fostering",
        "Private fostering",
        "Children living in private fostering arrangements.",
    ),
    (
        "allegations-against-adults",
        "Allegations against adults who work with children",
        "How allegations about adults in a position of trust are managed (the designated "
        "officer's work).",
    ),
    (
        "education-and-attendance",
        "Education, attendance and children missing education",
        "Elective home education, children missing education, alternative provision, reduced "
        "timetables and school attendance.",
    ),
    (
        "court-and-pre-proceedings",
        "Court and pre-proceedings",
        "Public law outline (PLO) pre-proceedings, care proceedings, applications to court and "
        "the parenting assessments that support them.",
    ),
    (
        "children-in-care",
        "Children in care",
        "Social work with children in care: visits, relationships with social workers, reviews "
        "and independent reviewing officers, family time, advocacy and life-story work.",
    ),
    (
        "permanence-and-placements",
        "Permanence, stability and placements",
        "Permanence planning, placement stability, matching and sufficiency, special "
        "guardianship and living with family members.",
    ),
    (
        "fostering",
        "Fostering",
        "The fostering service: recruiting, assessing, supporting and training foster carers "
        "and connected carers.",
    ),
    (
        "adoption",
        "Adoption",
        "Adoption services, regional adoption agencies, adopters and adoption support.",
    ),
    (
        "virtual-school",
        "Virtual school",
        "The education of children in care and care leavers: the virtual school, personal "
        "education plans, attainment and attendance.",
    ),
    (
        "health",
        "Health and well-being",
        "Physical, emotional and mental health of children and young people, health "
        "assessments and health histories.",
    ),
    (
        "care-leavers",
        "Care leavers",
        "Young people leaving care: personal advisers, pathway plans, accommodation, education, "
        "employment and training, and the move to independence.",
    ),
    (
        "leadership-and-governance",
        "Leadership, partnership and governance",
        "Senior and political leadership, strategic partnerships, governance, resources and "
        "leaders' knowledge of practice.",
    ),
    (
        "workforce",
        "Workforce",
        "Recruitment and retention, caseloads, training and development, and staff morale.",
    ),
    (
        "quality-assurance",
        "Quality assurance, supervision and performance",
        "Audits and practice evaluation, management oversight and supervision, performance "
        "information and self-assessment.",
    ),
]


def create_vocabulary(apps, schema_editor):
    JudgementArea = apps.get_model("judgements", "JudgementArea")
    ServiceArea = apps.get_model("judgements", "ServiceArea")
    for position, (slug, name, short_name) in enumerate(JUDGEMENT_AREAS, start=1):
        JudgementArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "position": position}
        )
    for position, (slug, name, description) in enumerate(SERVICE_AREAS, start=1):
        ServiceArea.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("judgements", "0001_initial")]

    operations = [migrations.RunPython(create_vocabulary, migrations.RunPython.noop)]
