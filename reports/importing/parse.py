"""From the lines of an ILACS report to a ParsedReport, by the report's structure.

Page 1: local authority, title, inspection dates, lead inspector, the judgement table.
Then the summary paragraphs, "What needs to improve" (bullet points), and one section
per judgement ("... help and protection: good") holding numbered paragraphs 1 to N.
Nothing here knows any particular council or file.
"""

import itertools
import re

from . import sif
from .extract import read_pdf
from .result import (
    Action,
    Paragraph,
    ParsedReport,
    ReportParseError,
    Section,
    TableRow,
)
from .text import (  # noqa: F401 - the parser's helpers, used here and by the tests
    CONJUNCTIONS,
    COUNCIL_WORDS,
    DATE,
    MONTHS,
    copyright_notice,
    field_text,
    inspection_dates,
    join,
    new_paragraph,
)

#: The four grades, as reports word them: "Requires improvement to be good" (2019 on),
#: "Requires improvement" (2018-19), "require improvement to be good" (after "are").
GRADE = r"outstanding|good|requires? improvement(?: to be good)?|inadequate"
TABLE_GRADE = re.compile(GRADE, re.IGNORECASE)
HEADING = re.compile(
    rf"^(?P<name>.+?)(?::| is:| are:| is| are)?\s+(?P<grade>{GRADE})\.?$", re.IGNORECASE
)
WHAT_NEEDS_TO_IMPROVE = re.compile(r"What needs to improve\s*[?:.]?", re.IGNORECASE)
HEADING_MIN_SIZE = 13.5  # section headings are 14 pt; some are not bold, or half bold
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
FRAMEWORK_REFERENCE = re.compile(
    r"\s*[(\[]\s*((?:outcome|enabler|principle)\b[^)\]]*)[)\]]\.?$", re.IGNORECASE
)
LEAD_INSPECTOR = re.compile(r"Lead inspectors?:\s*")
INSPECTOR_TITLE = re.compile(r",?\s*((?:Her|His) Majesty's Inspector|HMI)$")
#: Page 1 titles of the framework before SIF, and what to call it.
OTHER_FRAMEWORKS = [
    (
        re.compile(
            r"\binspection of (?:safeguarding and )?looked after children(?:'s)? services",
            re.IGNORECASE,
        ),
        "this is a report of the 2013 framework before SIF ('Inspection of looked after "
        "children services', before the single inspection framework): it grades in prose, "
        "with no judgement table and no numbered paragraphs to cite, so it is not imported",
    ),
]
TABLE_ROW_GAP = 1.4  # font sizes between the tops of two rows of the judgement table
TABLE_ROW_MAX_LENGTH = 160
TABLE_GRADE_MAX_LENGTH = 40  # longer text in the Grade column is the summary after it
#: Judgement tables by layout: the areas each layout grades.
LAYOUTS = {
    "ilacs-2018": {
        "help-and-protection",
        "children-in-care-and-care-leavers",
        "impact-of-leaders",
        "overall-effectiveness",
    },
    "ilacs-2023": {
        "help-and-protection",
        "children-in-care",
        "care-leavers",
        "impact-of-leaders",
        "overall-effectiveness",
    },
    "ilacs-2026": {"help-and-protection", "children-in-care", "care-leavers", "impact-of-leaders"},
}


def parse_report(path):
    """Parse the ILACS or SIF report PDF at `path`; raise ReportParseError if it cannot
    be read."""
    lines, footnotes, page_texts = read_pdf(path, check_first_page=refuse_other_frameworks)
    return parse_lines(lines, footnotes=footnotes, page_texts=page_texts)


def parse_lines(lines, *, footnotes=(), page_texts=()):
    """Parse a report from its body lines (see extract.read_pdf). The framework is
    recognised from page 1's title: a SIF report goes to the SIF reader (sif.py)."""
    first_page = [line for line in lines if line.page == 1]
    refuse_other_frameworks(first_page)
    if sif.is_sif(page_title(first_page)):
        return sif.parse_sif(lines, footnotes=footnotes, page_texts=page_texts)
    anomalies = []
    table_at = table_header_index(lines)
    header = lines[:table_at]
    judgements, body_at = judgement_table(lines, table_at)
    start, end, dates_text = inspection_dates(header)
    inspector, inspector_title = lead_inspector(header, lines, anomalies)
    printed_name, title = names(header)
    summary, actions, sections, paragraphs = body(lines[body_at:], footnotes, anomalies)
    check_sections(judgements, sections)
    notice = copyright_notice(page_texts or [line.text for line in lines], anomalies)
    return ParsedReport(
        local_authority=COUNCIL_WORDS.sub("", printed_name).strip(),
        printed_name=printed_name,
        title=title,
        start_date=start,
        end_date=end,
        dates_text=dates_text,
        lead_inspector=inspector,
        lead_inspector_title=inspector_title,
        framework="ilacs",
        framework_version=layout(judgements),
        inspection_type=inspection_type(header),
        judgements=judgements,
        summary=summary,
        actions=actions,
        sections=sections,
        paragraphs=paragraphs,
        footnotes=list(footnotes),
        copyright_notice=notice,
        anomalies=anomalies,
    )


def page_title(first_page):
    """Page 1's text above the inspection dates (or the judgement table)."""
    title = []
    for line in first_page[:12]:
        if re.match(r"Inspection dates?:|Judgements?\s+Grades?", line.text):
            break
        title.append(line.text)
    return " ".join(" ".join(title).split())


def refuse_other_frameworks(first_page):
    """Refuse, by name, the reports of frameworks the importer does not read: 2013
    reports say which they are in their title, above the inspection dates; a visit
    letter has no judgement table. SIF reports pass (their table is numbered)."""
    title = page_title(first_page)
    for pattern, message in OTHER_FRAMEWORKS:
        if pattern.search(title):
            raise ReportParseError(message)
    if sif.is_sif(title):
        return
    if any(re.fullmatch(r"Judgements?\s+Grades?", line.text) for line in first_page):
        return
    page_one = " ".join(line.text for line in first_page).lower()
    for kind in ["focused visit", "monitoring visit"]:
        if kind in page_one:
            raise ReportParseError(
                f"this looks like a {kind} letter (no judgement table on page 1): "
                f"{kind}s are not graded inspections and are not imported"
            )


def table_header_index(lines):
    for index, line in enumerate(lines):
        if line.page > 1:
            break
        if re.fullmatch(r"Judgements?\s+Grades?", line.text):
            return index
    raise ReportParseError("no judgement table on page 1 (no 'Judgement Grade' heading)")


def judgement_table(lines, header_at):
    """The rows under the table heading. A row's judgement name and its grade (in the
    column under 'Grade') may each wrap over lines, interleaved; rows are told apart by
    the wider gap between them. Returns the rows and the index where the table ends."""
    header = lines[header_at]
    grade_x = next(x for x, word in header.words if word.startswith("Grade")) - 3
    rows, at = [], header_at + 1
    while at < len(lines) and lines[at].page == 1:
        group = [lines[at]]
        while (
            at + len(group) < len(lines)
            and lines[at + len(group)].page == 1
            and lines[at + len(group)].top - group[-1].top < TABLE_ROW_GAP * group[-1].size
        ):
            group.append(lines[at + len(group)])
        words = [word for line in group for word in line.words]
        name = " ".join(text for x, text in words if x < grade_x)
        grade = " ".join(text for x, text in words if x >= grade_x)
        row = table_row(name, grade, len(rows) + 1, group[0].page)
        if row is None:
            break
        rows.append(row)
        at += len(group)
    if not rows:
        raise ReportParseError("no judgement table on page 1 (no graded rows under its heading)")
    return rows, at


def table_row(name, grade, position, page):
    """A TableRow, or None where the text is not one (the summary after the table)."""
    area = area_slug(name)
    if area is None or len(name) > TABLE_ROW_MAX_LENGTH:
        return None
    if not TABLE_GRADE.fullmatch(grade):
        if grade and len(grade) <= TABLE_GRADE_MAX_LENGTH:
            raise ReportParseError(
                f"the judgement table on page {page} grades '{name}' as '{grade}', which is "
                "none of Outstanding, Good, Requires improvement (to be good), Inadequate"
            )
        return None
    return TableRow(position, name, area, grade_value(grade))


def grade_value(text):
    """1-4 from a grade as printed, in any of its wordings."""
    text = text.lower()
    if text.startswith("require"):
        return 3
    return {"outstanding": 1, "good": 2, "inadequate": 4}[text]


def area_slug(name):
    """The judgement area a table row or section heading names, by its words."""
    name = name.lower()
    if "overall effectiveness" in name:
        return "overall-effectiveness"
    if "impact of leaders" in name:
        return "impact-of-leaders"
    if "help and protection" in name:
        return "help-and-protection"
    if "children in care" in name and "care leavers" in name:
        return "children-in-care-and-care-leavers"
    if "children in care" in name:
        return "children-in-care"
    if "care leavers" in name:
        return "care-leavers"
    return None


def layout(judgements):
    """Which ILACS layout the judgement table follows (see LAYOUTS)."""
    areas = [row.area_slug for row in judgements]
    for name, expected in LAYOUTS.items():
        if set(areas) == expected and len(areas) == len(expected):
            return name
    raise ReportParseError(
        f"the judgement table on page 1 grades {', '.join(areas)}: that is none of the "
        "ILACS layouts (2018: four judgements; 2023: five; 2026: four, without overall "
        "effectiveness)"
    )


def lead_inspector(header, lines, anomalies):
    """(name, title) from 'Name, His Majesty's Inspector', 'Name HMI' or the name with the
    title on the next line. Two lead inspectors ('Lead inspectors: A, His Majesty's
    Inspector, and B, His Majesty's Inspector') keep all but the last title in the name,
    as printed. Without a 'Lead inspector:' line on page 1 the first line of the report
    that starts with one is read; if no line does, both are empty and that is recorded."""
    text = field_text(header, LEAD_INSPECTOR.pattern)
    if text is None:
        elsewhere = next((line for line in lines if LEAD_INSPECTOR.match(line.text)), None)
        if elsewhere is None:
            anomalies.append("the report names no lead inspector (no 'Lead inspector:' line)")
            return "", ""
        text = field_text(
            [line for line in lines if line.page == elsewhere.page], LEAD_INSPECTOR.pattern
        )
    title = INSPECTOR_TITLE.search(text)
    if title is None:
        raise ReportParseError(f"no lead inspector's title in '{text}' on page 1")
    return text[: title.start()].strip(), title[1]


def names(header):
    """(printed local authority name, report title) from the opening lines of page 1.

    2018-22 reports print the council's name (e.g. 'Derbyshire County Council') above
    the title; 2023 onwards the title names it: 'Inspection of X local authority
    children's services'.
    """
    largest = max(line.size for line in header)
    big = " ".join(line.text for line in header if line.size == largest)
    # 'Inspection of X local authority children's services', 'Inspection of Kent County
    # Council children's services', 'Inspection of Bradford Children and Families Trust'
    named = re.fullmatch(
        r"Inspection of (.+?)(?: local authority)?(?: children's services)?", big, re.IGNORECASE
    )
    if named:
        return named[1], big
    subtitle = next((line.text for line in header if line.size < largest and line.bold), "")
    if not subtitle.startswith("Inspection of"):
        raise ReportParseError("no report title on page 1")
    return big, subtitle


def inspection_type(header):
    text = " ".join(line.text for line in header).lower()
    match = re.search(r"\b(short|standard) inspection\b", text)
    return match[1] if match else ""


def heading_blocks(lines):
    """Group the body into ('heading', lines) and ('text', lines) blocks."""
    blocks = []
    for line in lines:
        heading = line.bold or line.min_size >= HEADING_MIN_SIZE
        kind = "heading" if heading and not line.bullet else "text"
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return blocks


def body(lines, footnotes, anomalies):
    """Summary, actions, sections and numbered paragraphs from the lines after the table.
    A report with nothing to improve (all outstanding) may have no 'What needs to
    improve' section at all: it has no actions."""
    summary, actions, sections, runs = [], None, [], []
    blocks = heading_blocks(lines)
    state = "summary"
    for kind, block in blocks:
        if kind == "heading":
            text = join(block)
            if WHAT_NEEDS_TO_IMPROVE.fullmatch(text):
                state, actions = "actions", []
                refs = {n for line in block for n in line.footnote_refs}
                heading_notes = [f.text for f in footnotes if f.number in refs]
                continue
            section = section_heading(text, block[0].page)
            if section is None:
                raise ReportParseError(f"unexpected heading '{text}' on page {block[0].page}")
            sections.append(section)
            state = "section"
        elif state == "summary":
            summary.extend(summary_paragraphs(block))
        elif state == "actions":
            actions.extend(improvement_actions(block, len(actions), heading_notes, footnotes))
        else:
            runs.extend(numbered_runs(block, sections[-1], runs))
    if not runs:
        raise ReportParseError("no numbered paragraphs under the judgement headings")
    return summary, actions or [], sections, numbered_paragraphs(runs, anomalies)


def check_sections(judgements, sections):
    """Every graded area but overall effectiveness has one section, graded as in the table."""
    table = {row.area_slug: row for row in judgements}
    for section in sections:
        row = table.get(section.area_slug)
        if row is None:
            raise ReportParseError(
                f"the heading '{section.heading}' (page {section.page}) is not a row of "
                "the judgement table on page 1"
            )
        if row.grade != section.grade:
            raise ReportParseError(
                f"the heading '{section.heading}' (page {section.page}) disagrees with the "
                f"judgement table on page 1 ('{row.name}')"
            )
    missing = set(table) - {s.area_slug for s in sections} - {"overall-effectiveness"}
    if missing:
        raise ReportParseError(f"no section heading for {', '.join(sorted(missing))}")


def section_heading(text, page):
    match = HEADING.match(text)
    if match is None or area_slug(match["name"]) is None:
        return None
    return Section(text, area_slug(match["name"]), grade_value(match["grade"]), page)


def summary_paragraphs(lines):
    """Paragraphs split at a wider gap; across a page break a paragraph continues unless
    the last line ended a sentence."""
    paragraphs = [[lines[0]]]
    for before, line in itertools.pairwise(lines):
        if new_paragraph(before, line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [join(paragraph) for paragraph in paragraphs]


def improvement_actions(lines, already, heading_notes, footnotes):
    """Bulleted points; a bullet indented beyond the first is a sub-point of the one before."""
    items = []  # [lines of the point, [lines of each sub-point]]
    margin = None
    for before, line in zip([None, *lines], lines, strict=False):
        if line.bullet and (margin is None or line.x0 < margin + 5):
            margin = line.x0 if margin is None else margin
            items.append([[line], []])
        elif line.bullet and items:
            items[-1][1].append([line])
        elif (
            not line.bullet
            and (not items or not items[-1][0][0].bullet)
            and (before is None or new_paragraph(before, line))
        ):
            # Prose instead of bullet points (an all-outstanding report): each
            # paragraph is a point.
            items.append([[line], []])
        else:
            (items[-1][1][-1] if items[-1][1] else items[-1][0]).append(line)
    actions = []
    for position, (point, subs) in enumerate(items, start=already + 1):
        text = join(point)
        reference = FRAMEWORK_REFERENCE.search(text)
        refs = {n for line in point for n in line.footnote_refs}
        actions.append(
            Action(
                position=position,
                text=" ".join([text, *(join(sub) for sub in subs)]),
                sub_points=[join(sub) for sub in subs],
                framework_reference=" ".join(reference[1].split()) if reference else "",
                footnotes=[*heading_notes, *(f.text for f in footnotes if f.number in refs)],
            )
        )
    return actions


def numbered_runs(lines, section, before):
    """(printed number, section, page, texts) of the numbered paragraphs in the text under
    `section`, after the runs `before` (those of the sections above).

    A line starts a paragraph when it begins 'N.' left of the paragraphs' hanging indent
    (where their second lines start, as measured so far in the report; before any, where
    the text after the last paragraph's number starts), so a line inside a paragraph that
    happens to begin with '2019.' or an age ('16. This affords…') does not; page breaks
    need no care because running headers and page numbers are already gone.
    """
    runs = []
    indent = next((run[4] for run in reversed(before) if run[4] is not None), None)
    hanging = before[-1][5] if before else None
    for line in lines:
        match = NUMBERED.match(line.text)
        margin = indent if indent is not None else hanging
        if match and (margin is None or line.x0 < margin - 5):
            hanging = line.words[1][0] if len(line.words) > 1 else None
            runs.append([int(match[1]), section, line.page, [match[2]], indent, hanging])
        elif runs:
            indent = line.x0 if indent is None else indent
            runs[-1][3].append(line.text)
            runs[-1][4] = indent
        else:
            raise ReportParseError(
                f"text that is not a numbered paragraph under '{section.heading}' "
                f"on page {line.page}"
            )
    return runs


def numbered_paragraphs(runs, anomalies):
    """Paragraphs with the numbers Ofsted printed, which should run 1 to N. Where they do
    not, the paragraphs are kept as printed and the slip is recorded: a number skipped
    is left out; a number printed a second time cannot be the citable number of two
    paragraphs, so the second is stored under the next number the report does not
    print (both named in the anomaly). See docs/decisions/importer.md."""
    printed = {run[0] for run in runs}
    used, paragraphs, previous = set(), [], 0
    for number, section, page, texts, _indent, _hanging in runs:
        text = join(texts)
        if number > previous + 1:
            missing = (
                f"paragraph {previous + 1} is"
                if number == previous + 2
                else f"paragraphs {previous + 1} to {number - 1} are"
            )
            anomalies.append(
                f"{missing} not printed: paragraph {number} (page {page}) follows "
                + (f"paragraph {previous}" if previous else "the start of the report")
            )
        stored = number
        if number in used:
            stored = next(n for n in itertools.count(number + 1) if n not in printed | used)
            first = next(p for p in paragraphs if p.printed_number == number)
            anomalies.append(
                f"paragraph number {number} is printed twice (pages {first.page} and {page}): "
                f"the second, '{first_words(text)}…' under '{section.heading}', is stored as "
                f"paragraph {stored}"
            )
        elif number <= previous:
            anomalies.append(
                f"paragraph {number} (page {page}) is printed after paragraph {previous}"
            )
        used.add(stored)
        previous = max(previous, number)
        paragraphs.append(Paragraph(stored, text, section.area_slug, page, number))
    return paragraphs


def first_words(text, count=6):
    return " ".join(text.split()[:count])
