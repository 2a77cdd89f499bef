"""The parser against real reports. Every expected value below was read from the PDF
itself by a person (page 1, the "What needs to improve" list, the last numbered
paragraph, the words either side of a page break), not taken from the parser."""

import datetime
import re
from dataclasses import replace

import pdfplumber
import pytest

from judgements.models import Grade
from reports.importing import ReportParseError, parse_lines, parse_report
from reports.importing.extract import normalise
from reports.importing.parse import inspection_dates
from reports.importing.result import Line
from tests.report_files import HARROW_2020, REPORTS, extracted, parsed

OUT, GOOD, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
D = datetime.date

# file: (local authority, slug, first day, last day, lead inspector, title,
#        layout, {area: grade}, actions, last paragraph, copyright year)
EXPECTED = {
    "bristol-published-2023-03-10.pdf": (
        "Bristol", "bristol-2023-01", D(2023, 1, 16), D(2023, 1, 27), "Tracey Ledder",
        "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": RI, "help-and-protection": RI, "children-in-care": GOOD,
         "care-leavers": GOOD, "overall-effectiveness": RI},
        6, 62, 2023,
    ),
    "derbyshire-published-2019-09-19.pdf": (
        "Derbyshire", "derbyshire-2019-07", D(2019, 7, 8), D(2019, 8, 8), "Julie Knight",
        "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": GOOD, "help-and-protection": RI,
         "children-in-care-and-care-leavers": RI, "overall-effectiveness": RI},
        5, 44, 2019,
    ),
    "east-sussex-published-2018-09-04.pdf": (
        "East Sussex", "east-sussex-2018-07", D(2018, 7, 16), D(2018, 7, 20),
        "Mandy Nightingale", "HMI", "ilacs-2018",
        {"impact-of-leaders": OUT, "help-and-protection": GOOD,
         "children-in-care-and-care-leavers": OUT, "overall-effectiveness": OUT},
        2, 38, 2018,
    ),
    "harrow-published-2020-03-16.pdf": (
        "Harrow", "harrow-2020-02", D(2020, 2, 10), D(2020, 2, 14), "Brenda McLaughlin",
        "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": GOOD, "help-and-protection": GOOD,
         "children-in-care-and-care-leavers": GOOD, "overall-effectiveness": GOOD},
        4, 32, 2020,
    ),
    "harrow-published-2025-03-04.pdf": (
        "Harrow", "harrow-2025-01", D(2025, 1, 20), D(2025, 1, 24), "Rebekah Tucker",
        "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": RI, "help-and-protection": GOOD, "children-in-care": GOOD,
         "care-leavers": INAD, "overall-effectiveness": INAD},
        8, 59, 2025,
    ),
    "hillingdon-published-2018-05-30.pdf": (
        "Hillingdon", "hillingdon-2018-04", D(2018, 4, 16), D(2018, 4, 27), "Julie Knight",
        "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": OUT, "help-and-protection": GOOD,
         "children-in-care-and-care-leavers": GOOD, "overall-effectiveness": GOOD},
        4, 40, 2018,
    ),
    "leicestershire-published-2019-11-04.pdf": (
        "Leicestershire", "leicestershire-2019-09", D(2019, 9, 23), D(2019, 10, 4),
        "Kate Malleson", "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": GOOD, "help-and-protection": RI,
         "children-in-care-and-care-leavers": GOOD, "overall-effectiveness": RI},
        6, 51, 2019,
    ),
    "middlesbrough-published-2020-01-24.pdf": (
        "Middlesbrough", "middlesbrough-2019-11", D(2019, 11, 25), D(2019, 12, 6),
        "Jan Edwards", "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": INAD, "help-and-protection": INAD,
         "children-in-care-and-care-leavers": INAD, "overall-effectiveness": INAD},
        15, 39, 2020,
    ),
    "north-northamptonshire-published-2026-07-07.pdf": (
        "North Northamptonshire", "north-northamptonshire-2026-05", D(2026, 5, 11),
        D(2026, 5, 22), "David Cohen", "His Majesty's Inspector", "ilacs-2026",
        {"impact-of-leaders": OUT, "help-and-protection": GOOD, "children-in-care": GOOD,
         "care-leavers": GOOD},
        2, 58, 2026,
    ),
    "nottingham-published-2019-01-07.pdf": (
        "Nottingham", "nottingham-2018-11", D(2018, 11, 5), D(2018, 11, 16), "Caroline Walsh",
        "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": RI, "help-and-protection": RI,
         "children-in-care-and-care-leavers": RI, "overall-effectiveness": RI},
        8, 48, 2018,
    ),
    "peterborough-published-2024-01-30.pdf": (
        "Peterborough", "peterborough-2023-11", D(2023, 11, 27), D(2023, 12, 8),
        "Russel Breyer", "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": RI, "help-and-protection": RI, "children-in-care": RI,
         "care-leavers": INAD, "overall-effectiveness": INAD},
        8, 52, 2023,
    ),
    "richmond-upon-thames-published-2022-03-18.pdf": (
        "Richmond upon Thames", "richmond-upon-thames-2022-01", D(2022, 1, 31), D(2022, 2, 4),
        "Louise Hocking", "Her Majesty's Inspector", "ilacs-2018",
        {"impact-of-leaders": GOOD, "help-and-protection": GOOD,
         "children-in-care-and-care-leavers": GOOD, "overall-effectiveness": GOOD},
        4, 38, 2022,
    ),
    "southwark-published-2026-05-18.pdf": (
        "Southwark", "southwark-2026-03", D(2026, 3, 9), D(2026, 3, 13), "Jenny-ellen Scotland",
        "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": GOOD, "help-and-protection": GOOD, "children-in-care": GOOD,
         "care-leavers": GOOD, "overall-effectiveness": GOOD},
        3, 69, 2026,
    ),
    "surrey-published-2025-05-09.pdf": (
        "Surrey", "surrey-2025-03", D(2025, 3, 17), D(2025, 3, 28), "Rachel Griffiths",
        "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": GOOD, "help-and-protection": GOOD, "children-in-care": GOOD,
         "care-leavers": GOOD, "overall-effectiveness": GOOD},
        3, 66, 2025,
    ),
    "walsall-published-2025-07-08.pdf": (
        "Walsall", "walsall-2025-05", D(2025, 5, 12), D(2025, 5, 16), "Nick Bennison",
        "His Majesty's Inspector", "ilacs-2023",
        {"impact-of-leaders": OUT, "help-and-protection": GOOD, "children-in-care": OUT,
         "care-leavers": GOOD, "overall-effectiveness": OUT},
        2, 54, 2025,
    ),
}  # fmt: skip

# file: (paragraph, words either side of a page break, as the PDF prints them)
ACROSS_A_PAGE_BREAK = {
    "bristol-published-2023-03-10.pdf": (
        32,
        "dental and optical health. Children who require additional therapeutic needs",
    ),
    "derbyshire-published-2019-09-19.pdf": (
        4,
        "too many changes in social workers. This is not the same for all disabled children",
    ),
    "east-sussex-published-2018-09-04.pdf": (
        4,
        "domestic abuse and child exploitation are explored well and, where appropriate",
    ),
    "harrow-published-2020-03-16.pdf": (
        3,
        "effective emergency duty team. Interventions are proportionate to risk",
    ),
    "harrow-published-2025-03-04.pdf": (
        2,
        "Thorough, multi-agency early help assessments are resulting in effective",
    ),
    "hillingdon-published-2018-05-30.pdf": (
        5,
        "why professionals have concerns. Some disabled children do not have",
    ),
    "leicestershire-published-2019-11-04.pdf": (
        8,
        "These children have remained in neglectful or harmful circumstances",
    ),
    "middlesbrough-published-2020-01-24.pdf": (
        3,
        "facilitates immediate responses by contacting victims",
    ),
    "north-northamptonshire-published-2026-07-07.pdf": (
        5,
        "the family's key strengths. Assessments are informed by multiple visits",
    ),
    "nottingham-published-2019-01-07.pdf": (
        6,
        "children are contributing to and influencing their own plans.",
    ),
    "peterborough-published-2024-01-30.pdf": (
        11,
        "in the last year, which has stretched current service capacity.",
    ),
    "richmond-upon-thames-published-2022-03-18.pdf": (
        5,
        "any concerns or to help work through any issues. Parental consent",
    ),
    "southwark-published-2026-05-18.pdf": (
        12,
        "effective tracking that prevents drift. Decisions to enter pre-proceedings are timely",
    ),
    "surrey-published-2025-05-09.pdf": (
        11,
        "A small and decreasing number of children have lived in neglectful",
    ),
    "walsall-published-2025-07-08.pdf": (
        4,
        "clearly gains the voice of the child as well as of family members",
    ),
}

# file: (how paragraph 1 starts, how the last paragraph ends)
FIRST_AND_LAST_WORDS = {
    "bristol-published-2023-03-10.pdf": (
        "The FAS, which acts as a 'front door' that receives contacts",
        "their families.",
    ),
    "derbyshire-published-2019-09-19.pdf": (
        "Children in need of help and protection in Derbyshire",
        "showing signs of affecting good progress across the service.",
    ),
    "east-sussex-published-2018-09-04.pdf": (
        "Arrangements to respond to the needs of children",
        "taking steps to reduce them.",
    ),
    "harrow-published-2020-03-16.pdf": (
        "Well-established and appropriately targeted early help",
        "have the benefit of good-quality help and support.",
    ),
    "harrow-published-2025-03-04.pdf": (
        "Contacts and referrals into the multi-agency safeguarding hub",
        "are not afforded the same opportunities as social workers.",
    ),
    "hillingdon-published-2018-05-30.pdf": (
        "Children and their families benefit from a good early help offer",
        "receives effective frontline management oversight.",
    ),
    "leicestershire-published-2019-11-04.pdf": (
        "Children and families can access a good variety of targeted early",
        "Leicestershire, and recruitment and retention are improving.",
    ),
    "middlesbrough-published-2020-01-24.pdf": (
        "Services for children who need help and protection in Middlesbrough",
        "assessment and is therefore not used to its full potential.",
    ),
    "north-northamptonshire-published-2026-07-07.pdf": (
        "Children and families benefit from a range of early help services",
        "young people and families from across North Northamptonshire.",
    ),
    "nottingham-published-2019-01-07.pdf": (
        "Although the council has continued to develop its responses",
        "address the areas for improvement is not always sufficient.",
    ),
    "peterborough-published-2024-01-30.pdf": (
        "Children benefit from early help services",
        "necessary improvements to services for children in Peterborough.",
    ),
    "richmond-upon-thames-published-2022-03-18.pdf": (
        "Continuous investment and focus on early help services in Richmond",
        "to ensure that children and practitioners are well supported.",
    ),
    "southwark-published-2026-05-18.pdf": (
        "Children and families are benefiting from a continuously improving",
        "to do their best for children and care leavers.",
    ),
    "surrey-published-2025-05-09.pdf": (
        "Most children in Surrey receive effective and responsive help",
        "work in Surrey.",
    ),
    "walsall-published-2025-07-08.pdf": (
        "Children and their families receive the help and support they require",
        "are well supported.",
    ),
}


def squash(text):
    return " ".join(text.split())


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_page_one_and_the_judgement_table(file_name):
    (name, slug, start, end, inspector, title, layout, grades, *_rest, year) = EXPECTED[file_name]
    report = parsed(file_name)
    assert (report.local_authority, report.slug) == (name, slug)
    assert (report.start_date, report.end_date) == (start, end)
    assert (report.lead_inspector, report.lead_inspector_title) == (inspector, title)
    assert report.framework_version == layout
    assert {row.area_slug: row.grade for row in report.judgements} == grades
    assert report.copyright_notice == f"© Crown copyright {year}"


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_actions_and_every_numbered_paragraph(file_name):
    *_start, actions, last, _year = EXPECTED[file_name]
    report = parsed(file_name)
    assert len(report.actions) == actions
    assert [p.number for p in report.paragraphs] == list(range(1, last + 1))
    first, end = FIRST_AND_LAST_WORDS[file_name]
    assert report.paragraphs[0].text.startswith(first)
    assert report.paragraphs[-1].text.endswith(end)


@pytest.mark.parametrize("file_name", sorted(ACROSS_A_PAGE_BREAK))
def test_a_paragraph_across_a_page_break_is_joined_verbatim(file_name):
    number, words = ACROSS_A_PAGE_BREAK[file_name]
    paragraph = parsed(file_name).paragraphs[number - 1]
    assert words in squash(paragraph.text)


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_no_page_furniture_or_typography_leaks_into_the_text(file_name):
    report = parsed(file_name)
    texts = [*report.summary, *(a.text for a in report.actions)]
    texts += [p.text for p in report.paragraphs]
    for text in texts:
        assert not re.search("[\u2018\u2019\u201c\u201d\ufb01\ufb02]", text)
        assert "Inspection of " not in text  # the running footer of 2022+ reports
        assert not re.search(r"\s\d{1,2}$", text)  # a page number
        assert "  " not in text
    # Every section heading is there, with its grade, as the table gives it.
    sections = {s.area_slug: s.grade for s in report.sections}
    table = {r.area_slug: r.grade for r in report.judgements}
    assert sections == {k: v for k, v in table.items() if k != "overall-effectiveness"}


def test_section_headings_keep_their_words():
    headings = [s.heading for s in parsed("harrow-published-2025-03-04.pdf").sections]
    assert headings == [
        "The experiences and progress of children who need help and protection: good",
        "The experiences and progress of children in care: good",
        "The experiences and progress of care leavers: inadequate",
        "The impact of leaders on social work practice with children and families: "
        "requires improvement to be good",
    ]
    older = [s.heading for s in parsed("east-sussex-published-2018-09-04.pdf").sections]
    assert (
        older[0] == "The experiences and progress of children who need help and protection are good"
    )


def test_national_framework_references_and_footnotes_are_kept_apart():
    actions = parsed("harrow-published-2025-03-04.pdf").actions
    assert actions[0].framework_reference == "Enabler two"
    assert actions[1].framework_reference == "Outcome four"
    assert actions[0].text.endswith("continuous improvement (Enabler two).")
    assert "cross-referenced with the outcomes, enablers or principles" in actions[0].footnotes[0]
    assert [a.framework_reference for a in parsed("walsall-published-2025-07-08.pdf").actions] == [
        "Outcome 3, national framework",
        "Outcome 4, national framework",
    ]
    southwark = parsed("southwark-published-2026-05-18.pdf").actions
    assert southwark[2].framework_reference == (
        "enabler: the workforce is equipped and effective, national framework"
    )
    assert parsed("harrow-published-2020-03-16.pdf").actions[0].footnotes == []


def test_summary_paragraphs_split_where_the_report_splits_them():
    summary = parsed("nottingham-published-2019-01-07.pdf").summary
    assert len(summary) == 6
    assert summary[3].startswith("Areas for improvement are not always understood")
    assert "they are neglected. A small group of very young children" in summary[3]


def test_an_indented_bullet_is_a_sub_point_of_the_one_before():
    lines, _, texts = extracted("harrow-published-2020-03-16.pdf")
    at = next(i for i, line in enumerate(lines) if line.text.startswith("address the specific"))
    sub = replace(lines[at], x0=lines[at].x0 + 20, bullet=True, text="A nested point.")
    report = parse_lines([*lines[: at + 1], sub, *lines[at + 1 :]], page_texts=texts)
    assert report.actions[0].sub_points == ["A nested point."]
    assert report.actions[0].text.endswith("individual children. A nested point.")
    assert len(report.actions) == 4


def test_typographic_quotes_and_ligatures_become_plain():
    assert normalise("children\u2019s \u201cvoice\u201d \ufb01le") == 'children\'s "voice" file'


def test_a_report_without_its_judgement_table_is_refused():
    lines, _, texts = extracted("harrow-published-2020-03-16.pdf")
    without_table = [line for line in lines if line.text != "Judgement Grade"]
    with pytest.raises(ReportParseError, match="no judgement table on page 1"):
        parse_lines(without_table, page_texts=texts)


def test_a_focused_visit_letter_is_refused_by_name():
    """A letter has no judgement table; a report that mentions an earlier focused visit
    (as Peterborough's summary on page 1 does) is still a report."""
    lines, _, texts = extracted("harrow-published-2020-03-16.pdf")
    page_one = [line for line in lines if line.page == 1 and line.text != "Judgement Grade"]
    subject = replace(page_one[1], text="Focused visit to Harrow children's services")
    letter = [page_one[0], subject, *page_one[2:]]
    with pytest.raises(ReportParseError, match="focused visit letter"):
        parse_lines(letter, page_texts=texts)
    assert (
        "identified by a focused visit"
        in parsed("peterborough-published-2024-01-30.pdf").summary[1]
    )


def header(*texts):
    """Page-1 lines as the parser gets them, 12 pt, one under the other."""
    return [
        Line(page=1, x0=72, top=200 + 14.5 * i, size=12, bold=True, text=text)
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize(
    ("printed", "first", "last"),
    [
        (["Inspection dates: 10 to 14 February 2020"], D(2020, 2, 10), D(2020, 2, 14)),
        (
            ["Inspection dates: 5 November 2018 to 16 November 2018"],
            D(2018, 11, 5),
            D(2018, 11, 16),
        ),
        (["Inspection dates: 27 November to 8 December 2023"], D(2023, 11, 27), D(2023, 12, 8)),
        (["Inspection dates: 30 December 2019 to 3 January 2020"], D(2019, 12, 30), D(2020, 1, 3)),
        (
            ["Inspection dates: 8 July 2019 to 12 July 2019 and 7 August 2019 to", "8 August 2019"],
            D(2019, 7, 8),
            D(2019, 8, 8),
        ),
    ],
)
def test_inspection_dates_in_every_form_reports_use(printed, first, last):
    lines = header(*printed, "Lead inspector: A Person, His Majesty's Inspector")
    assert inspection_dates(lines)[:2] == (first, last)


def test_unreadable_dates_are_named():
    with pytest.raises(ReportParseError, match="cannot read the inspection dates 'soon'"):
        inspection_dates(header("Inspection dates: soon", "Lead inspector: A Person, HMI"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"Judgement Grade\nOverall effectiveness Good\n", "not a PDF"),
        (HARROW_2020.read_bytes()[:100_000], "the PDF is truncated or damaged"),
    ],
    ids=["empty", "text", "truncated"],
)
def test_broken_files_are_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    with pytest.raises(ReportParseError, match=message):
        parse_report(path)


def characters_of(file_name):
    """The report's body characters straight from the PDF's character stream, another
    reading than the parser's words: 11-17 pt type only, spaces removed (the stream
    leaves some out where the PDF places words apart), hyphenated line ends joined."""
    lines = []
    with pdfplumber.open(REPORTS / file_name) as pdf:
        for page in pdf.pages:
            rows = {}
            for char in page.chars:
                if 10.5 <= char["size"] < 18:
                    rows.setdefault(round(char["top"]), []).append(char)
            for top in sorted(rows):
                row = sorted(rows[top], key=lambda c: c["x0"])
                lines.append("".join(c["text"] for c in row).replace(" ", ""))
    return normalise("".join(lines))


@pytest.mark.parametrize(
    "file_name",
    [
        "harrow-published-2020-03-16.pdf",
        "harrow-published-2025-03-04.pdf",
        "north-northamptonshire-published-2026-07-07.pdf",
    ],
)
def test_every_paragraph_is_a_run_of_the_pdfs_own_characters(file_name):
    """Nothing added, dropped or reordered, in one layout of each kind: each numbered
    paragraph, summary paragraph and action is an unbroken run of the PDF's text."""
    characters = characters_of(file_name)
    report = parsed(file_name)
    for paragraph in report.paragraphs:
        assert f"{paragraph.number}.{paragraph.text}".replace(" ", "") in characters
    for text in [*report.summary, *(action.text for action in report.actions)]:
        assert text.replace(" ", "") in characters
