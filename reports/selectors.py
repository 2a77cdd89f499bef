"""What the reports pages and API read: inspections with the judgements, findings and
actions they show, each in a fixed number of queries.

These live beside the views rather than on Inspection's QuerySet because they reach into
the judgements app's tables, and its models import this app's: an app meets another only
at its models, never by reflection.
"""

from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractYear

from judgements.models import (
    OVERALL_AREAS,
    EarlierGrade,
    EvidenceLink,
    Grade,
    ImprovementAction,
    Judgement,
)
from reports.models import Framework, Inspection, SummaryKind, SummaryParagraph


def with_judgements(inspections):
    """`inspections` with their grades and judgement areas, in one more query."""
    judgements = Judgement.objects.select_related("area")
    return inspections.prefetch_related(Prefetch("judgements", queryset=judgements))


def grades_by_inspection(inspections):
    """{inspection id: {area slug: grade number}} for `inspections` (a queryset), in one
    query of plain values: the comparison needs only the grades, and building a Judgement
    and a JudgementArea for each of ~1,000 judgements cost most of its time."""
    grades = {}
    rows = Judgement.objects.filter(inspection__in=inspections).order_by()
    for inspection_id, slug, grade in rows.values_list("inspection_id", "area__slug", "grade"):
        grades.setdefault(inspection_id, {})[slug] = grade
    return grades


def for_listing(inspections=None):
    """Inspections with their local authority and grades, in two queries."""
    if inspections is None:
        inspections = Inspection.objects.all()
    return with_judgements(inspections.with_local_authority())


def with_report_details(inspections):
    """The summary, the earlier grades the report mentions, and `finding_count`.
    `summary_paragraphs` is the opening (executive) summary only; a SIF report's other
    summaries (for children and young people, the LSCB's) are `other_summaries`."""
    earlier_grades = EarlierGrade.objects.select_related("area")
    summary = SummaryParagraph.objects.filter(kind=SummaryKind.SUMMARY)
    others = SummaryParagraph.objects.exclude(kind=SummaryKind.SUMMARY)
    return inspections.annotate(finding_count=Count("findings")).prefetch_related(
        Prefetch("summary_paragraphs", queryset=summary),
        Prefetch("summary_paragraphs", queryset=others, to_attr="other_summaries"),
        Prefetch("earlier_grades", queryset=earlier_grades),
    )


def for_report_page():
    """Everything the inspection page shows, in a fixed number of queries."""
    actions = ImprovementAction.objects.select_related("plan")
    links = EvidenceLink.objects.select_related("finding__inspection").order_by("finding__number")
    return with_report_details(for_listing()).prefetch_related(
        Prefetch("improvement_actions", queryset=actions),
        Prefetch("improvement_actions__evidence_links", queryset=links),
    )


def grade_counts_by_year():
    """(area id, year, grade, count): how many ILACS judgements of each area gave each
    grade, by the year the inspection began, nationally, in one query."""
    return (
        Judgement.objects.filter(inspection__framework=Framework.ILACS)
        .annotate(year=ExtractYear("inspection__start_date"))
        .values_list("area_id", "year", "grade")
        .annotate(count=Count("id"))
        .order_by()
    )


def overall_judgement(inspection):
    """The inspection's overall judgement, from its prefetched judgements: ILACS's overall
    effectiveness or the single inspection framework's overall judgement; None if the
    report made none."""
    return next((j for j in inspection.judgements.all() if j.area.slug in OVERALL_AREAS), None)


def gives_no_overall_grade(inspection):
    """Whether a report grades its judgements but gives no overall grade (Ofsted's from
    April 2026), from its prefetched judgements: said so where the grade would be."""
    return bool(inspection.judgements.all()) and overall_judgement(inspection) is None


def inspections_around(inspection):
    """The same local authority's inspections held before and after this one, and its
    latest, each with its grades (None where there is none), in two queries."""
    others = list(
        with_judgements(
            Inspection.objects.filter(local_authority_id=inspection.local_authority_id)
        ).order_by("start_date", "pk")
    )
    for other in others:
        overall = overall_judgement(other)
        other.overall_grade = Grade(overall.grade) if overall else None
    at = next(i for i, other in enumerate(others) if other.pk == inspection.pk)
    return {
        "previous_held": others[at - 1] if at > 0 else None,
        "next_held": others[at + 1] if at + 1 < len(others) else None,
        "latest": others[-1],
    }
