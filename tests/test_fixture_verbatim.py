"""The Harrow fixture against the report itself: every word the database shows as the
report's must be the report's. The source is a text extraction of Ofsted's PDF in the
shared folder (../shared/source/, never copied into the project), read here with its own
small parser, independent of the fixture."""

import re
from pathlib import Path

import pytest

from judgements.models import (
    EarlierGrade,
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceArea,
)
from reports.models import GlossaryTerm, Inspection, LocalAuthority, SummaryParagraph

# The report's text comes from elsewhere (Ofsted, via the shared folder), never the project.
SOURCE_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "source"
SOURCE = SOURCE_DIR / "harrow-ilacs-2020-02.txt"

pytestmark = pytest.mark.django_db


def normalise(text):
    return " ".join(text.split())


def source_blocks():
    """The report's blocks of text (separated by blank lines), with the paragraphs that a
    PDF page break split rejoined: a block that starts in lower case continues the one
    before it."""
    blocks = []
    for block in re.split(r"\n[ \t]*\n", SOURCE.read_text(encoding="utf-8")):
        block = block.strip()
        if not block:
            continue
        if blocks and block[0].islower():
            blocks[-1] = f"{blocks[-1]} {block}"
        else:
            blocks.append(block)
    return blocks


def source_lines():
    return [line.strip() for block in source_blocks() for line in block.splitlines()]


def source_summary():
    """The paragraphs between the judgement table and "What needs to improve"."""
    blocks = source_blocks()
    start = next(i for i, b in enumerate(blocks) if b.startswith("Judgement\tGrade")) + 1
    end = blocks.index("What needs to improve")
    return [normalise(b) for b in blocks[start:end]]


def source_sections():
    """{paragraph number: (section heading, text)} for every numbered paragraph."""
    paragraphs, heading = {}, None
    for line in source_lines():
        if re.fullmatch(
            r"The .+: (outstanding|good|requires improvement to be good|inadequate)", line
        ):
            heading = line
        elif match := re.match(r"(\d+)\. (.+)", line):
            paragraphs[int(match[1])] = (heading, normalise(match[2]))
    return paragraphs


def test_the_database_holds_exactly_the_harrow_report(harrow):
    # The councils come from the councils table (migration 0006); the fixture's Harrow is
    # that table's Harrow, not a second one.
    assert list(LocalAuthority.objects.filter(name="Harrow").values_list("slug", flat=True)) == [
        "harrow"
    ]
    assert list(LocalAuthority.objects.filter(inspections__isnull=False).distinct()) == [
        harrow.local_authority
    ]
    assert Inspection.objects.count() == 1
    assert SummaryParagraph.objects.count() == 3
    assert ImprovementAction.objects.count() == 4
    assert Finding.objects.count() == 32
    assert list(Finding.objects.values_list("number", flat=True)) == list(range(1, 33))
    grades = {j.area.slug: j.grade for j in Judgement.objects.select_related("area")}
    assert grades == {
        "help-and-protection": Grade.GOOD,
        "children-in-care-and-care-leavers": Grade.GOOD,
        "impact-of-leaders": Grade.GOOD,
        "overall-effectiveness": Grade.GOOD,
    }


def test_inspection_details_match_the_report(harrow):
    lines = source_lines()
    assert lines[0] == harrow.local_authority.name
    assert lines[1] == harrow.title
    assert "Inspection dates: 10 to 14 February 2020" in lines
    assert (harrow.start_date.isoformat(), harrow.end_date.isoformat()) == (
        "2020-02-10",
        "2020-02-14",
    )
    assert f"Lead inspector: {harrow.lead_inspector}" in lines
    assert lines[lines.index(f"Lead inspector: {harrow.lead_inspector}") + 1] == (
        harrow.lead_inspector_title
    )
    assert harrow.copyright_notice in lines
    assert harrow.framework == "ilacs"


def test_judgement_table_matches_the_report(harrow):
    lines = source_lines()
    start = lines.index("Judgement\tGrade") + 1
    table = [tuple(line.split("\t")) for line in lines[start : start + 4]]
    judgements = harrow.judgements.select_related("area").order_by("table_position")
    assert [(j.area.name, j.get_grade_display()) for j in judgements] == table


def test_summary_paragraphs_are_verbatim_and_in_order(harrow):
    stored = [normalise(p.text) for p in harrow.summary_paragraphs.order_by("position")]
    assert stored == source_summary()


def test_improvement_actions_are_verbatim_and_in_order(harrow):
    expected = [normalise(line[2:]) for line in source_lines() if line.startswith("- ")]
    stored = [normalise(a.text) for a in harrow.improvement_actions.order_by("position")]
    assert stored == expected


def test_every_finding_is_verbatim_under_its_section(harrow):
    expected = source_sections()
    assert sorted(expected) == list(range(1, 33))
    for finding in Finding.objects.select_related("judgement__area"):
        heading, text = expected[finding.number]
        assert normalise(finding.text) == text, f"paragraph {finding.number} differs"
        area, grade = finding.judgement.area, finding.judgement.get_grade_display()
        assert heading == f"{area.name}: {grade.lower()}", f"paragraph {finding.number}"


@pytest.mark.parametrize(
    ("kind", "number", "words_across_the_page_break"),
    [
        ("summary", 3, "evaluation audits so that they measure the impact"),
        ("finding", 3, "emergency duty team. Interventions are proportionate"),
        ("finding", 8, "Although supervision is regular, a continuous evaluation"),
        ("finding", 14, "matched carefully with carers who promote their needs"),
        ("finding", 29, "Senior managers recognise that they have more work to do"),
    ],
)
def test_paragraphs_split_by_a_page_break_are_one(
    harrow, kind, number, words_across_the_page_break
):
    if kind == "summary":
        text = harrow.summary_paragraphs.get(position=number).text
    else:
        text = harrow.findings.get(number=number).text
    assert words_across_the_page_break in text
    assert "\n" not in text


def test_earlier_grade_is_what_the_report_says(harrow):
    earlier = EarlierGrade.objects.get(inspection=harrow)
    assert (earlier.earlier_year, earlier.earlier_framework) == (2017, "sif")
    assert earlier.area.slug == "help-and-protection"
    assert earlier.grade == Grade.REQUIRES_IMPROVEMENT
    assert earlier.quotation in harrow.summary_paragraphs.get(position=1).text
    assert "2017 single inspection" in earlier.quotation
    assert "help and protection required improvement" in earlier.quotation


def test_every_finding_has_a_service_area_and_every_action_evidence(harrow):
    untagged = Finding.objects.filter(service_areas__isnull=True)
    assert not untagged.exists(), list(untagged)
    for action in harrow.improvement_actions.prefetch_related("evidence"):
        evidence = list(action.evidence.all())
        assert evidence, f"action {action.position} has no evidence"
        assert {finding.inspection_id for finding in evidence} == {harrow.pk}


@pytest.mark.parametrize(
    ("service_area", "paragraphs"),
    [
        ("care-leavers", {14, 23, 24}),
        ("fostering", {19}),
        ("private-fostering", {11}),
        ("adoption", {20}),
        ("exploitation-and-missing", {9}),
        ("disabled-children", {10}),
        ("allegations-against-adults", {12}),
    ],
)
def test_service_area_tags(harrow, service_area, paragraphs):
    tagged = Finding.objects.filter(service_areas__slug=service_area)
    assert set(tagged.values_list("number", flat=True)) == paragraphs


def test_evidence_for_the_care_leavers_action_is_paragraph_24(harrow):
    action = harrow.improvement_actions.get(text__contains="health histories")
    assert list(action.evidence.values_list("number", flat=True)) == [24]


def test_every_abbreviation_the_report_defines_is_in_the_glossary(harrow):
    defined = set()
    for match in re.finditer(r"\(([A-Z][A-Za-z]+)\)", SOURCE.read_text(encoding="utf-8")):
        word = match[1]  # plurals such as "(PAs)" and "(IROs)" are in the glossary singular
        defined.add(word[:-1] if word.endswith("s") and word[:-1].isupper() else word)
    assert defined  # the report does define abbreviations
    glossary = set(GlossaryTerm.objects.values_list("abbreviation", flat=True))
    assert defined <= glossary, defined - glossary
    assert {"PAMS", "HMI"} <= glossary


def test_taxonomy_keeps_its_slugs(db):
    assert set(ServiceArea.objects.values_list("slug", flat=True)) == {
        "early-help", "front-door", "child-protection", "children-in-need",
        "exploitation-and-missing", "disabled-children", "private-fostering",
        "allegations-against-adults", "education-and-attendance",
        "court-and-pre-proceedings", "children-in-care", "permanence-and-placements",
        "fostering", "adoption", "virtual-school", "health", "care-leavers",
        "leadership-and-governance", "workforce", "quality-assurance",
        # added where the corpus shows real volume (judgements migration 0018)
        "homeless-young-people", "young-carers", "unaccompanied-children", "participation",
        "corporate-parenting",
    }  # fmt: skip
    assert set(JudgementArea.objects.values_list("slug", flat=True)) == {
        "help-and-protection", "children-in-care-and-care-leavers", "impact-of-leaders",
        "overall-effectiveness",
        # graded separately from the 2023 layout on (judgements migration 0005)
        "children-in-care", "care-leavers",
        # the single inspection framework's, never an ILACS area (judgements migration 0020)
        "sif-help-and-protection", "sif-children-looked-after", "sif-adoption",
        "sif-care-leavers", "sif-leadership", "sif-overall", "sif-lscb",
    }  # fmt: skip


def test_the_source_text_carries_its_licence_attribution():
    readme = (SOURCE_DIR / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in readme
    assert "© Crown copyright 2020" in readme
    assert SOURCE.name in readme
