"""The database itself refuses what would make the report inconsistent."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from judgements.models import Finding, Grade, Judgement, JudgementArea
from reports.models import Inspection, SummaryParagraph
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db


def refused(match):
    """The block must raise IntegrityError naming the constraint (inside transaction.atomic()
    so that the test's own transaction stays usable)."""
    return pytest.raises(IntegrityError, match=match)


def test_a_second_paragraph_with_the_same_number_is_refused(harrow):
    judgement = harrow.judgements.get(area__slug="help-and-protection")
    with refused(match="one_paragraph_number_per_inspection"), transaction.atomic():
        Finding.objects.create(inspection=harrow, judgement=judgement, number=5, text="Copy.")
    assert Finding.objects.filter(inspection=harrow, number=5).count() == 1


def test_a_second_grade_for_an_area_is_refused(harrow):
    area = JudgementArea.objects.get(slug="overall-effectiveness")
    with refused(match="one_grade_per_area_per_inspection"), transaction.atomic():
        Judgement.objects.create(
            inspection=harrow, area=area, grade=Grade.INADEQUATE, table_position=5
        )
    assert harrow.judgements.get(area=area).grade == Grade.GOOD


def test_a_grade_outside_the_scale_is_refused(harrow):
    with refused(match="grade_on_the_ilacs_scale"), transaction.atomic():
        harrow.judgements.update(grade=5)


def test_the_last_day_cannot_be_before_the_first(harrow):
    with refused(match="inspection_ends_on_or_after_start"), transaction.atomic():
        Inspection.objects.filter(pk=harrow.pk).update(end_date=datetime.date(2020, 2, 9))


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_paragraphs_are_refused(harrow, text):
    with refused(match="text_not_blank"), transaction.atomic():
        harrow.findings.filter(number=1).update(text=text)
    with refused(match="text_not_blank"), transaction.atomic():
        SummaryParagraph.objects.filter(inspection=harrow, position=1).update(text=text)


def test_a_finding_under_another_inspections_judgement_is_refused(harrow):
    other = InspectionFactory()
    judgement = harrow.judgements.first()
    with refused(match="finding_judgement_same_inspection"), transaction.atomic():
        Finding.objects.create(inspection=other, judgement=judgement, number=1, text="Mismatch.")
        connection.check_constraints()  # the composite key is checked at commit


def test_findings_of_two_inspections_can_share_a_number(db):
    first, second = FindingFactory(number=1), FindingFactory(number=1)
    assert first.inspection != second.inspection


def test_grades_sort_best_first():
    assert sorted([Grade.INADEQUATE, Grade.OUTSTANDING, Grade.GOOD]) == [
        Grade.OUTSTANDING, Grade.GOOD, Grade.INADEQUATE,
    ]  # fmt: skip
    assert Grade.GOOD.is_better_than(Grade.REQUIRES_IMPROVEMENT)
    assert not Grade.INADEQUATE.is_better_than(Grade.REQUIRES_IMPROVEMENT)
    assert Grade.from_slug("requires-improvement") is Grade.REQUIRES_IMPROVEMENT
    with pytest.raises(ValueError, match="not a grade"):
        Grade.from_slug("excellent")


def test_judgements_order_by_grade_in_the_database(db):
    for grade in [Grade.INADEQUATE, Grade.OUTSTANDING, Grade.REQUIRES_IMPROVEMENT]:
        JudgementFactory(grade=grade)
    assert list(Judgement.objects.order_by("grade").values_list("grade", flat=True)) == [
        Grade.OUTSTANDING, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE,
    ]  # fmt: skip


def snapshot():
    return {
        "findings": list(Finding.objects.values_list("pk", "number", "text")),
        "tags": list(
            Finding.objects.values_list("number", "service_areas__slug").order_by(
                "number", "service_areas__slug"
            )
        ),
        "evidence": list(
            Finding.objects.filter(improvement_actions__isnull=False)
            .values_list("improvement_actions__position", "number")
            .order_by("improvement_actions__position", "number")
        ),
        "judgements": list(Judgement.objects.values_list("pk", "area__slug", "grade")),
        "summary": list(SummaryParagraph.objects.values_list("pk", "text")),
        "inspections": list(Inspection.objects.values_list("pk", "slug")),
    }


def test_loading_the_fixture_twice_duplicates_nothing(harrow):
    before = snapshot()
    call_command("loaddata", "harrow-2020-02", verbosity=0)
    assert snapshot() == before
