"""What the reports pages and API read: inspections with the judgements, findings and
actions they show, each in a fixed number of queries.

These live beside the views rather than on Inspection's QuerySet because they reach into
the judgements app's tables, and its models import this app's: an app meets another only
at its models, never by reflection.
"""

from django.db.models import Count, Prefetch

from judgements.models import EarlierGrade, Finding, ImprovementAction, Judgement
from reports.models import Inspection, SummaryKind, SummaryParagraph


def with_judgements(inspections):
    """`inspections` with their grades and judgement areas, in one more query."""
    judgements = Judgement.objects.select_related("area")
    return inspections.prefetch_related(Prefetch("judgements", queryset=judgements))


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
    findings = Finding.objects.select_related("inspection")
    return with_report_details(for_listing()).prefetch_related(
        Prefetch("improvement_actions", queryset=actions),
        Prefetch("improvement_actions__evidence", queryset=findings),
    )


def previous_inspection(inspection):
    """The same local authority's inspection before this one, if it is held."""
    earlier = Inspection.objects.filter(
        local_authority_id=inspection.local_authority_id, start_date__lt=inspection.start_date
    )
    return with_judgements(earlier).order_by("-start_date").first()
