"""From the lines of an ILACS report to a ParsedReport, by the report's structure.

Page 1: local authority, title, inspection dates, lead inspector, the judgement table.
Then the summary paragraphs, "What needs to improve" (bullet points), and one section
per judgement ("... help and protection: good") holding numbered paragraphs 1 to N.
Nothing here knows any particular council or file.
"""

import calendar
import datetime
import itertools
import re

from .extract import read_pdf
from .result import (
    Action,
    Paragraph,
    ParsedReport,
    ReportParseError,
    Section,
    TableRow,
)

GRADES = {
    "outstanding": 1,
    "good": 2,
    "requires improvement to be good": 3,
    "requires improvement": 3,
    "inadequate": 4,
}
TABLE_GRADE = re.compile(r"Outstanding|Good|Requires improvement to be good|Inadequate")
HEADING = re.compile(
    r"^(?P<name>.+?)(?::| is:| are:| is| are)?\s+"
    r"(?P<grade>outstanding|good|requires improvement to be good|inadequate)\.?$",
    re.IGNORECASE,
)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
DATE = re.compile(rf"\b(\d{{1,2}})\b(?:\s+({'|'.join(MONTHS)}))?(?:\s+(\d{{4}}))?")
FRAMEWORK_REFERENCE = re.compile(
    r"\s*[(\[]\s*((?:outcome|enabler|principle)\b[^)\]]*)[)\]]\.?$", re.IGNORECASE
)
COPYRIGHT = re.compile(r"© Crown copyright (\d{4})")
COUNCIL_WORDS = re.compile(
    r"^(?:(?:The )?(?:London|Royal) Borough of |City of )|"
    r" (?:Metropolitan Borough|County|City|Borough|District)? ?Council$"
)
TABLE_ROW_GAP = 1.4  # font sizes between the tops of two rows of the judgement table
TABLE_ROW_MAX_LENGTH = 160
PARAGRAPH_GAP = 22  # points between the tops of lines of two summary paragraphs
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
    """Parse the ILACS report PDF at `path`; raise ReportParseError if it cannot be read."""
    lines, footnotes, page_texts = read_pdf(path, check_first_page=refuse_other_frameworks)
    return parse_lines(lines, footnotes=footnotes, page_texts=page_texts)


def parse_lines(lines, *, footnotes=(), page_texts=()):
    """Parse a report from its body lines (see extract.read_pdf)."""
    first_page = [line for line in lines if line.page == 1]
    refuse_other_frameworks(first_page)
    table_at = table_header_index(lines)
    header = lines[:table_at]
    judgements, body_at = judgement_table(lines, table_at)
    start, end, dates_text = inspection_dates(header)
    inspector, inspector_title = lead_inspector(header)
    printed_name, title = names(header)
    summary, actions, sections, paragraphs = body(lines[body_at:], footnotes)
    check_sections(judgements, sections)
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
        copyright_notice=copyright_notice(page_texts or [line.text for line in lines]),
    )


def refuse_other_frameworks(first_page):
    """Refuse, by name, the reports of frameworks the importer does not read: a SIF
    report says so in its opening lines; a visit letter has no judgement table."""
    opening = " ".join(line.text for line in first_page[:12]).lower()
    if "children looked after and care leavers" in opening or "single inspection" in opening:
        raise ReportParseError(
            "this is a single inspection framework (SIF) report (2013-2017), not ILACS: "
            "the importer reads ILACS reports only"
        )
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
        row = table_row(name, grade, len(rows) + 1)
        if row is None:
            break
        rows.append(row)
        at += len(group)
    if not rows:
        raise ReportParseError("no judgement table on page 1 (no graded rows under its heading)")
    return rows, at


def table_row(name, grade, position):
    """A TableRow, or None where the text is not one (the summary after the table)."""
    area = area_slug(name)
    if not TABLE_GRADE.fullmatch(grade) or area is None or len(name) > TABLE_ROW_MAX_LENGTH:
        return None
    return TableRow(position, name, area, GRADES[grade.lower()])


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


def field_text(header, label, stop):
    """The text after `label` on page 1, over wrapped lines, up to a line starting `stop`."""
    for index, line in enumerate(header):
        if line.text.startswith(label):
            parts = [line.text[len(label) :]]
            for following in header[index + 1 :]:
                if following.text.startswith(stop) or following.size != line.size:
                    break
                parts.append(following.text)
            return " ".join(" ".join(parts).split())
    raise ReportParseError(f"no '{label}' on page 1")


def inspection_dates(header):
    """First and last inspection day from e.g. '10 to 14 February 2020' or
    '8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019'."""
    text = field_text(header, "Inspection dates:", "Lead inspector")
    found = [list(match) for match in DATE.findall(text)]
    for later, earlier in zip(found[::-1], found[-2::-1], strict=False):
        earlier[1] = earlier[1] or later[1]
        earlier[2] = earlier[2] or later[2]
    try:
        days = [datetime.date(int(y), MONTHS[m], int(d)) for d, m, y in found]
    except (KeyError, ValueError):
        days = []
    if not days or days[-1] < days[0]:
        raise ReportParseError(f"cannot read the inspection dates '{text}' on page 1")
    return days[0], days[-1], text


def lead_inspector(header):
    """(name, title) from 'Name, His Majesty's Inspector', 'Name HMI' or the name with the
    title on the next line."""
    text = field_text(header, "Lead inspector:", "Judgement")
    title = re.search(r",?\s*((?:Her|His) Majesty's Inspector|HMI)$", text)
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
    named = re.fullmatch(r"Inspection of (.+?) local authority children's services", big)
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


def copyright_notice(page_texts):
    for text in reversed(page_texts):
        if match := COPYRIGHT.search(text):
            return match[0]
    raise ReportParseError("no '© Crown copyright <year>' notice in the report")


def join(lines):
    """Lines (or their texts) of one paragraph as one string; a line ending in a hyphen
    joins the next without a space ('co-' + 'location')."""
    text = ""
    for line in lines:
        line_text = getattr(line, "text", line)
        if text and not re.search(r"[A-Za-z]-$", text):
            text += " "
        text += line_text
    return text


def heading_blocks(lines):
    """Group the body into ('heading', lines) and ('text', lines) blocks."""
    blocks = []
    for line in lines:
        kind = "heading" if line.bold and not line.bullet else "text"
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return blocks


def body(lines, footnotes):
    """Summary, actions, sections and numbered paragraphs from the lines after the table."""
    summary, actions, sections, paragraphs = [], None, [], []
    blocks = heading_blocks(lines)
    state = "summary"
    for kind, block in blocks:
        if kind == "heading":
            text = join(block)
            if text.rstrip("?").lower() == "what needs to improve":
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
            paragraphs.extend(numbered_paragraphs(block, sections[-1], paragraphs))
    if actions is None:
        raise ReportParseError("no 'What needs to improve' section")
    if not paragraphs:
        raise ReportParseError("no numbered paragraphs under the judgement headings")
    return summary, actions, sections, paragraphs


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
    return Section(text, area_slug(match["name"]), GRADES[match["grade"].lower()], page)


def summary_paragraphs(lines):
    """Paragraphs split at a wider gap; across a page break a paragraph continues unless
    the last line ended a sentence."""
    paragraphs = [[lines[0]]]
    for before, line in itertools.pairwise(lines):
        if line.page == before.page:
            new = line.top - before.top > PARAGRAPH_GAP
        else:
            new = before.text.endswith((".", "!", "?"))
        if new:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [join(paragraph) for paragraph in paragraphs]


def improvement_actions(lines, already, heading_notes, footnotes):
    """Bulleted points; a bullet indented beyond the first is a sub-point of the one before."""
    items = []  # [lines of the point, [lines of each sub-point]]
    margin = None
    for line in lines:
        if line.bullet and (margin is None or line.x0 < margin + 5):
            margin = line.x0 if margin is None else margin
            items.append([[line], []])
        elif line.bullet and items:
            items[-1][1].append([line])
        elif items:
            (items[-1][1][-1] if items[-1][1] else items[-1][0]).append(line)
        else:
            raise ReportParseError(
                f"text before the first point of 'What needs to improve' on page {line.page}"
            )
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


def numbered_paragraphs(lines, section, before):
    """Numbered paragraphs in the text under `section`, numbered on from `before`.

    A line starts a paragraph when it begins 'N.' left of the paragraphs' hanging indent,
    so a line that happens to begin with '2019.' inside a paragraph does not; page breaks
    need no care because running headers and page numbers are already gone.
    """
    runs, indent = [], None
    number = before[-1].number if before else 0
    for line in lines:
        match = NUMBERED.match(line.text)
        if match and (indent is None or line.x0 < indent - 5):
            if int(match[1]) != number + 1:
                raise ReportParseError(
                    f"paragraph {number + 1} missing between {number} and {match[1]} "
                    f"(page {line.page})"
                )
            number += 1
            runs.append((number, line.page, [match[2]]))
        elif runs:
            indent = line.x0 if indent is None else indent
            runs[-1][2].append(line.text)
        else:
            raise ReportParseError(
                f"text that is not a numbered paragraph under '{section.heading}' "
                f"on page {line.page}"
            )
    return [Paragraph(n, join(texts), section.area_slug, page) for n, page, texts in runs]
