"""What real ILACS reports do that the importer once refused, and what it still refuses.

Each kind is shown twice: on a real report of the national corpus in ../shared/corpus/
(found with bench/parse_corpus.py; every expected value read from the PDF by a person)
and on a few lines made here that reproduce the layout, so a test still says what the
rule is if the corpus changes.
"""

import shutil
from dataclasses import replace

import pdfplumber
import pytest

from judgements.models import Grade
from reports.importing import ReportParseError, parse_lines, parse_report
from reports.importing.extract import join_words, normalise, page_text, read_pdf
from reports.importing.parse import join
from reports.importing.result import Line
from tests.report_files import REPORTS, corpus_file, extracted, parsed, parsed_corpus

GOOD, RI, INAD = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE

# --- a small report of our own, line by line, as the extractor gives it -------------

AREAS = [
    ("The experiences and progress of children who need help and protection", "help"),
    ("The experiences and progress of children in care", "care"),
    ("The experiences and progress of care leavers", "leavers"),
    ("The impact of leaders on social work practice with children and families", "leaders"),
]


def words_at(x0, text, step=4.0):
    return tuple((x0 + step * i, word) for i, word in enumerate(text.split()))


def line(text, top, *, page=1, x0=72.0, size=12.0, bold=False, bullet=False, words=None):
    return Line(
        page=page,
        x0=x0,
        top=top,
        size=size,
        bold=bold,
        text=text,
        bullet=bullet,
        words=words if words is not None else words_at(x0, text),
        min_size=size,
    )


def numbered(number, texts, page, top):
    """A numbered paragraph: the number at the margin, its lines at the hanging indent."""
    first = f"{number}. {texts[0]}"
    words = ((72.0, f"{number}."), *words_at(100.0, texts[0]))
    lines = [line(first, top, page=page, words=words)]
    lines += [line(text, top + 14.5 * i, page=page, x0=100.0) for i, text in enumerate(texts)][1:]
    return lines


def tiny_report(
    *,
    table_grades=("Good", "Good", "Good", "Good"),
    heading_grades=(": good", ": good", ": good", ": good"),
    improve="What needs to improve?",
    title=("Inspection of Testshire local authority", "children's services"),
    inspector="Lead inspector: Ann Example, His Majesty's Inspector",
    paragraphs=None,
    headings=None,
):
    """The lines of a four-judgement ILACS report (the 2026 layout): page 1 with its
    title, dates, inspector and judgement table; page 2 'What needs to improve' and the
    first judgement; one page for each other judgement. `paragraphs` gives, for each
    section, (printed number, [lines]) of its paragraphs."""
    if paragraphs is None:
        two_lines, one_line = ["Children are seen.", "Plans are clear."], ["Work is good."]
        paragraphs = [[(2 * i + 1, two_lines), (2 * i + 2, one_line)] for i in range(4)]
    lines = [line(text, 100 + 31 * i, size=26) for i, text in enumerate(title)]
    lines.append(line("Inspection dates: 10 to 14 March 2025", 200))
    if inspector:
        lines.append(line(inspector, 225))
    lines.append(line("Judgement Grade", 260, bold=True, words=((76, "Judgement"), (300, "Grade"))))
    for i, ((name, _), grade) in enumerate(zip(AREAS, table_grades, strict=True)):
        words = (*words_at(76.0, name, step=3.0), *words_at(300.0, grade))
        lines.append(line(f"{name} {grade}", 300 + 30 * i, x0=76, words=words))
    lines.append(line("Services for children in Testshire have improved since 2021.", 440))
    lines.append(line("Leaders know their services well.", 454.5))
    lines.append(line(improve, 100, page=2, size=14, bold=True))
    lines.append(line("The timeliness of assessments.", 130, page=2, bullet=True))
    for i, ((name, _), grade) in enumerate(zip(AREAS, heading_grades, strict=True)):
        page = i + 2
        top = 200 if i == 0 else 100
        for heading_line in (headings or {}).get(i, [f"{name}{grade}"]):
            lines.append(replace(line(heading_line, top, page=page, size=14, bold=True)))
            top += 17
        for number, texts in paragraphs[i]:
            lines += numbered(number, texts, page, top + 30)
            top += 30 + 14.5 * len(texts)
    return lines


def parse_tiny(*, copyright=True, **kwargs):
    texts = ["", "", "", "", "© Crown copyright 2025" if copyright else "Ofsted, Manchester"]
    return parse_lines(tiny_report(**kwargs), page_texts=texts)


def test_the_tiny_report_reads_as_its_lines_say():
    report = parse_tiny()
    assert report.local_authority == "Testshire"
    assert report.framework_version == "ilacs-2026"
    assert [p.number for p in report.paragraphs] == list(range(1, 9))
    assert report.paragraphs[0].text == "Children are seen. Plans are clear."
    assert report.anomalies == []


# --- grades worded the 2018-19 way ---------------------------------------------------


@pytest.mark.parametrize(
    ("table", "heading"),
    [
        ("Requires improvement", ": Requires improvement"),
        ("Requires improvement", " requires improvement"),
        ("Requires Improvement to be good", " require improvement to be good"),
        ("Requires improvement to be good", " are: requires improvement to be good."),
    ],
)
def test_every_wording_of_requires_improvement_is_read(table, heading):
    report = parse_tiny(
        table_grades=(table, "Good", "Good", "Good"),
        heading_grades=(heading, ": good", ": good", ": good"),
    )
    assert [row.grade for row in report.judgements] == [RI, GOOD, GOOD, GOOD]
    assert report.sections[0].grade == RI


def test_a_grade_the_importer_does_not_know_is_named_with_its_row():
    with pytest.raises(ReportParseError, match=r"grades '.*help and protection' as 'Fair'"):
        parse_tiny(table_grades=("Fair", "Good", "Good", "Good"))


def test_2018_wording_requires_improvement_in_a_real_table_and_headings():
    durham = parsed_corpus("durham-published-2019-10-21.pdf")
    assert [(row.area_slug, row.grade) for row in durham.judgements] == [
        ("impact-of-leaders", RI),
        ("help-and-protection", RI),
        ("children-in-care-and-care-leavers", GOOD),
        ("overall-effectiveness", RI),
    ]
    brent = parsed_corpus("brent-published-2018-07-02.pdf")
    assert brent.sections[0].heading == (
        "The experiences and progress of children who need help and protection requires improvement"
    )
    assert brent.sections[0].grade == RI
    hackney = parsed_corpus("hackney-published-2019-12-20.pdf")
    assert hackney.sections[-1].heading.endswith("children and families: Requires improvement")
    scilly = parsed_corpus("isles-of-scilly-published-2023-08-25.pdf")  # "Requires Improvement"
    assert {row.area_slug: row.grade for row in scilly.judgements}["children-in-care"] == RI


# --- "What needs to improve" -----------------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["What needs to improve", "What needs to improve?", "What needs to improve:"]
)
def test_what_needs_to_improve_with_any_punctuation(heading):
    report = parse_tiny(improve=heading)
    assert [action.text for action in report.actions] == ["The timeliness of assessments."]


def test_what_needs_to_improve_with_a_colon_and_not_in_bold_in_real_reports():
    wakefield = parsed_corpus("wakefield-published-2018-07-17.pdf")  # "What needs to improve:"
    assert len(wakefield.actions) == 12
    assert wakefield.actions[0].text.startswith("managers' oversight of the quality")
    assert wakefield.actions[-1].text == (
        "emotional and mental health support for children in care and care leavers."
    )
    ealing = parsed_corpus("ealing-published-2024-07-12.pdf")  # 14 pt, not bold
    assert len(ealing.actions) == 5
    assert ealing.actions[-1].text == "Support for young carers."


def test_prose_instead_of_points_and_no_such_section_at_all():
    """An all-outstanding report may say what to improve in a paragraph (North
    Lincolnshire 2022) or have no 'What needs to improve' section (Thurrock 2024)."""
    actions = parsed_corpus("north-lincolnshire-published-2022-11-25.pdf").actions
    assert len(actions) == 1
    assert actions[0].text.startswith("There are an extremely small number of areas")
    assert actions[0].text.endswith("variability in practice across the service.")
    assert parsed_corpus("thurrock-published-2024-10-29.pdf").actions == []
    lines = [x for x in tiny_report() if x.page != 2 or x.top > 150]
    report = parse_lines(lines, page_texts=["© Crown copyright 2025"])
    assert report.actions == []
    assert len(report.paragraphs) == 8


# --- titles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "printed", "name"),
    [
        (
            ("Inspection of Kent County Council", "children's services"),
            "Kent County Council",
            "Kent",
        ),
        (
            ("Inspection of Barking and Dagenham", "children's services"),
            "Barking and Dagenham",
            "Barking and Dagenham",
        ),
        (
            ("Inspection of Bradford Children and", "Families Trust"),
            "Bradford Children and Families Trust",
            "Bradford Children and Families Trust",
        ),
    ],
)
def test_titles_without_local_authority(title, printed, name):
    report = parse_tiny(title=title)
    assert (report.printed_name, report.local_authority) == (printed, name)
    assert report.title == " ".join(title)


@pytest.mark.parametrize(
    ("file_name", "printed", "title"),
    [
        (
            "kent-published-2022-07-05.pdf",
            "Kent County Council",
            "Inspection of Kent County Council children's services",
        ),
        (
            "doncaster-published-2022-04-08.pdf",
            "Doncaster Metropolitan Borough Council",
            "Inspection of Doncaster Metropolitan Borough Council children's services",
        ),
        (
            "bradford-published-2026-05-21.pdf",
            "Bradford Children and Families Trust",
            "Inspection of Bradford Children and Families Trust",
        ),
    ],
)
def test_real_titles_without_local_authority(file_name, printed, title):
    report = parsed_corpus(file_name)
    assert (report.printed_name, report.title) == (printed, title)


# --- the lead inspector -----------------------------------------------------------------


def test_no_lead_inspector_line_is_recorded_not_refused():
    report = parse_tiny(inspector=None)
    assert (report.lead_inspector, report.lead_inspector_title) == ("", "")
    assert report.anomalies == ["the report names no lead inspector (no 'Lead inspector:' line)"]
    devon = parsed_corpus("devon-published-2025-05-13.pdf")  # names none anywhere
    assert devon.lead_inspector == ""
    assert devon.anomalies == report.anomalies
    assert devon.dates_text == "30 September to 11 October 2024 and 13 to 16 January 2025"


def test_a_lead_inspector_named_later_in_the_report_is_taken_from_there():
    lines = tiny_report(inspector=None)
    lines.append(line("Lead inspector: Bea Later, His Majesty's Inspector", 700, page=5))
    report = parse_lines(lines, page_texts=["© Crown copyright 2025"])
    assert (report.lead_inspector, report.lead_inspector_title) == (
        "Bea Later",
        "His Majesty's Inspector",
    )


def test_two_lead_inspectors_are_kept_as_printed():
    report = parsed_corpus("stoke-on-trent-published-2022-11-25.pdf")
    assert report.lead_inspector == "Rebecca Quested, His Majesty's Inspector, and Matthew Reed"
    assert report.lead_inspector_title == "His Majesty's Inspector"


# --- numbered paragraphs ------------------------------------------------------------------


def test_a_line_inside_a_paragraph_starting_with_an_age_is_not_a_paragraph():
    paragraphs = [
        [(1, ["Children are seen."]), (2, ["Plans are clear."])],
        [(3, ["Care leavers have an adviser at the age of", "16. This affords them time."])],
        [(4, ["Work is good."])],
        [(5, ["Leaders are good."])],
    ]  # fmt: skip
    report = parse_tiny(paragraphs=paragraphs)
    assert [p.number for p in report.paragraphs] == [1, 2, 3, 4, 5]
    assert report.paragraphs[2].text == (
        "Care leavers have an adviser at the age of 16. This affords them time."
    )
    wight = parsed_corpus("isle-of-wight-published-2023-12-15.pdf")
    assert [p.number for p in wight.paragraphs] == list(range(1, 52))
    assert "at the age of 16. This affords them opportunities" in wight.paragraphs[30].text
    assert wight.anomalies == []


def test_a_paragraph_number_in_larger_type_still_starts_a_paragraph():
    cornwall = parsed_corpus("cornwall-published-2019-11-05.pdf")  # "47." is 14 pt
    assert [p.number for p in cornwall.paragraphs] == list(range(1, 48))
    assert cornwall.paragraphs[46].text.startswith("Aspirational senior leaders have demonstrated")


def test_a_skipped_paragraph_number_is_imported_as_printed_and_recorded():
    paragraphs = [[(1, ["A."]), (2, ["B."])], [(4, ["D."])], [(5, ["E."])], [(6, ["F."])]]
    report = parse_tiny(paragraphs=paragraphs)
    assert [p.number for p in report.paragraphs] == [1, 2, 4, 5, 6]
    assert report.anomalies == [
        "paragraph 3 is not printed: paragraph 4 (page 3) follows paragraph 2"
    ]
    windsor = parsed_corpus("windsor-and-maidenhead-published-2020-02-24.pdf")
    numbers = [p.number for p in windsor.paragraphs]
    assert numbers == [*range(1, 15), *range(16, 46)]
    assert windsor.anomalies == [
        "paragraph 15 is not printed: paragraph 16 (page 6) follows paragraph 14"
    ]
    assert windsor.paragraphs[14].text.startswith("Services for care leavers are variable")


def test_a_paragraph_number_printed_twice_keeps_the_first_and_stores_the_second_apart():
    paragraphs = [
        [(1, ["A."]), (2, ["B."])],
        [(3, ["C."])],
        [(3, ["C again."]), (4, ["D."])],
        [(5, ["E."])],
    ]
    report = parse_tiny(paragraphs=paragraphs)
    assert [(p.number, p.printed_number, p.text) for p in report.paragraphs] == [
        (1, 1, "A."), (2, 2, "B."), (3, 3, "C."), (6, 3, "C again."), (4, 4, "D."), (5, 5, "E."),
    ]  # fmt: skip
    assert report.anomalies == [
        "paragraph number 3 is printed twice (pages 3 and 4): the second, 'C again.…' under "
        "'The experiences and progress of care leavers: good', is stored as paragraph 6"
    ]
    lambeth = parsed_corpus("lambeth-published-2026-03-10.pdf")
    by_number = {p.number: p for p in lambeth.paragraphs}
    assert by_number[57].text.startswith("Care leavers who are parents receive intensive")
    assert by_number[58].text.startswith("Stable and visible leadership has been fundamental")
    assert by_number[70].text.startswith("Senior leaders in Lambeth provide effective")
    assert (by_number[70].printed_number, by_number[70].area_slug) == (57, "impact-of-leaders")
    assert max(p.printed_number for p in lambeth.paragraphs) == 69
    assert lambeth.anomalies == [
        "paragraph number 57 is printed twice (pages 11 and 11): the second, 'Senior leaders "
        "in Lambeth provide effective…' under 'The impact of leaders on social work practice "
        "with children and families: good', is stored as paragraph 70"
    ]


def test_a_missing_paragraph_number_in_a_shared_report_is_named():
    lines, _, texts = extracted("harrow-published-2020-03-16.pdf")
    without_17 = [line for line in lines if not line.text.startswith("17. ")]
    report = parse_lines(without_17, page_texts=texts)
    assert 17 not in [p.number for p in report.paragraphs]
    assert report.anomalies == [
        "paragraph 17 is not printed: paragraph 18 (page 6) follows paragraph 16"
    ]


# --- the copyright line ---------------------------------------------------------------------


def test_no_copyright_line_is_recorded_not_refused():
    report = parse_tiny(copyright=False)
    assert report.copyright_notice == ""
    assert report.anomalies == ["the report prints no '© Crown copyright <year>' notice"]
    wight = parsed_corpus("isle-of-wight-published-2019-01-07.pdf")
    assert wight.copyright_notice == ""
    assert wight.anomalies == report.anomalies
    assert len(wight.paragraphs) == 35


# --- headings over two lines, half bold -----------------------------------------------------


def test_a_judgement_heading_over_two_lines_the_second_not_bold():
    lines = tiny_report(
        headings={3: ["The impact of leaders on social work practice with children and",
                      "families: good"]}
    )  # fmt: skip
    lines = [replace(x, bold=False) if x.text == "families: good" else x for x in lines]
    report = parse_lines(lines, page_texts=["© Crown copyright 2025"])
    assert report.sections[3].heading == (
        "The impact of leaders on social work practice with children and families: good"
    )
    berkshire = parsed_corpus("west-berkshire-published-2022-05-04.pdf")
    assert berkshire.sections[2].heading == report.sections[3].heading
    assert berkshire.paragraphs[34].number == 35
    assert berkshire.paragraphs[34].area_slug == "impact-of-leaders"


# --- hyphens at the end of a line -------------------------------------------------------------


def test_a_line_end_hyphen_joins_unless_a_conjunction_follows():
    assert join(["decision-", "and policy-making"]) == "decision- and policy-making"
    assert join(["short-", "to medium-term plans"]) == "short- to medium-term plans"
    assert join(["The co-", "location of teams"]) == "The co-location of teams"
    assert join(["face-", "to-face visits"]) == "face-to-face visits"
    leeds = parsed_corpus("leeds-published-2018-12-18.pdf")
    assert leeds.actions[2].text == (
        "The quality, recording and review of personal education plans (PEPs) so that they "
        "provide clear, consistent and purposeful targets, covering both short- and "
        "longer-term objectives."
    )
    barnsley = parsed_corpus("barnsley-published-2018-11-19.pdf")
    texts = " ".join(p.text for p in barnsley.paragraphs)
    assert "to be trauma- and attachment-focused" in texts
    harrow = parsed("harrow-published-2020-03-16.pdf")
    assert "The co-location" in harrow.paragraphs[1].text


def test_a_line_ending_in_an_unspaced_en_dash_runs_on_without_a_space():
    EN = "\N{EN DASH}"
    assert join([f"in 2014{EN}", "15 and a further"]) == f"in 2014{EN}15 and a further"
    assert join([f"to the pre{EN}", "proceedings process"]) == f"to the pre{EN}proceedings process"
    assert join([f"its services {EN}", "and partners"]) == f"its services {EN} and partners"
    lancashire = parsed_corpus("lancashire-published-2015-11-27.pdf")
    texts = " ".join(p.text for p in lancashire.paragraphs)
    assert f"the pre{EN}proceedings process" in texts
    assert f"pre{EN} proceedings" not in texts
    brighton = parsed_corpus("brighton-and-hove-published-2015-06-22.pdf")
    assert f"2014{EN}15 and a further" in " ".join(p.text for p in brighton.paragraphs)


@pytest.mark.parametrize(
    ("file_name", "number", "ending"),
    [
        ("luton-published-2020-02-24.pdf", 37, "supporting the progress of children's plans."),
        (
            "oldham-published-2019-03-04.pdf",
            47,
            "before the service provided for all children is good.",
        ),
    ],
)
def test_ofsteds_back_cover_printed_at_the_bodys_size_is_not_part_of_the_last_paragraph(
    file_name, number, ending
):
    report = parsed_corpus(file_name)
    last = report.paragraphs[-1]
    assert last.number == number
    assert last.text.endswith(ending), last.text[-200:]
    everything = " ".join(
        [*report.summary, *(a.text for a in report.actions), *(p.text for p in report.paragraphs)]
    )
    for boilerplate in ("Piccadilly Gate", "Office for Standards in Education", "nationalarchives"):
        assert boilerplate not in everything
    assert report.copyright_notice.startswith("© Crown copyright")


# --- what is refused, by what it is ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("kent-published-2013-08-23.pdf", r"2013 framework before SIF"),
        ("sandwell-published-2013-08-02.pdf", r"2013 framework before SIF"),
    ],
)
def test_earlier_frameworks_are_refused_by_name_from_their_content(tmp_path, file_name, message):
    """Recognised by the report's title, not its file name: a copy under an ILACS-like
    name is refused the same way. (SIF reports are read: tests/test_importer_sif.py.)"""
    copy = tmp_path / "walsall-published-2025-07-08.pdf"
    shutil.copy(corpus_file(file_name), copy)
    with pytest.raises(ReportParseError, match=message):
        parse_report(copy)


# --- the extraction: PDFium characters give the lines pdfplumber gave -----------------------------


def pdfplumber_lines(path):
    """Lines as the importer read them with pdfplumber (parser version 1)."""
    lines, footnotes = [], []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(extra_attrs=["size", "fontname"])
            page_lines, page_footnotes = page_text(number, page.height, words)
            lines += page_lines
            footnotes += page_footnotes
    return lines, footnotes


def comparable(line):
    return (line.page, line.text, line.bold, line.bullet, line.footnote_refs, round(line.size))


@pytest.mark.parametrize(
    "path",
    [
        REPORTS / "derbyshire-published-2019-09-19.pdf",
        REPORTS / "harrow-published-2025-03-04.pdf",
        REPORTS / "north-northamptonshire-published-2026-07-07.pdf",
        "isle-of-wight-published-2023-12-15.pdf",
    ],
    ids=lambda path: str(path).rsplit("/", 1)[-1],
)
def test_pdfium_extraction_gives_the_lines_pdfplumber_gave(path):
    """Every line's text, page, weight, bullet and footnote markers, and every footnote,
    the same as when pdfplumber read the whole PDF (it took five times as long)."""
    path = path if not isinstance(path, str) else corpus_file(path)
    old_lines, old_footnotes = pdfplumber_lines(path)
    lines, footnotes, _texts = read_pdf(path)
    assert [comparable(x) for x in lines] == [comparable(x) for x in old_lines]
    assert footnotes == old_footnotes
    assert all(
        abs(a.x0 - b.x0) < 1 and abs(a.top - b.top) < 1
        for a, b in zip(lines, old_lines, strict=True)
    )


def test_characters_are_normalised_as_before():
    lines, _, _ = read_pdf(corpus_file("barnsley-published-2018-11-19.pdf"))
    texts = " ".join(line.text for line in lines)
    assert normalise(texts) == texts
    assert "\u2019" not in texts and "\x02" not in texts


def test_a_space_the_pdf_prints_is_kept_where_the_next_word_starts_at_once():
    """A full stop in slanted type reaches under the next capital: the gap is under
    0.8 pt, but the PDF prints a space there (version 1 printed 'quality.Personal')."""
    stop = {"x0": 100.0, "x1": 110.0, "text": "quality."}
    capital = {"x0": 110.3, "x1": 150.0, "text": "Personal"}
    assert join_words([{**stop, "space_after": True}, capital]) == "quality. Personal"
    assert join_words([{**stop, "space_after": False}, capital]) == "quality.Personal"
    hackney = parsed_corpus("hackney-published-2024-08-20.pdf")
    texts = " ".join(p.text for p in hackney.paragraphs)
    assert "education of a good quality. Personal education plan targets" in texts
    assert "quality.Personal" not in texts
