"""From the lines of a single inspection framework (SIF, 2013-2018) report to a ParsedReport.

Page 1: the council, the title ("Inspection of services for children in need of help and
protection, children looked after and care leavers", often "and Review of the
effectiveness of the Local Safeguarding Children Board"), the inspection dates, the
overall judgement as a sentence ("Children's services in Harrow are good") and the
numbered judgement table (1. help and protection; 2. children looked after, with 2.1
adoption and 2.2 care leavers; 3. leadership). Sometimes page 1 also states the LSCB's
judgement; otherwise its part of the report does, in a heading.

The body's paragraphs are numbered once through the whole report (recommendations
included), and what each numbered paragraph is depends on the heading it stands under:
a recommendation (or area for improvement), a finding of a judgement's section (or of
its sub-judgement, after "The graded judgement for adoption performance is..."), or a
finding of the summary (kept under the overall judgement) or of the LSCB's part. Two
layouts share this: 2014-15 ("Summary of findings", "What does the local authority need
to improve?") and 2015-18 ("Executive summary", "Recommendations"). Nothing here knows
any particular council or file.
"""

import calendar
import itertools
import re
from dataclasses import replace

from . import text
from .result import Action, Paragraph, ParsedReport, ReportParseError, TableRow
from .text import join, new_paragraph

GRADE = r"outstanding|good|requires? improvement(?: to be good)?|inadequate"
GRADE_WORDS = {"outstanding", "good", "requires", "require", "improvement", "to", "be"}
GRADE_WORDS |= {"inadequate", "not", "judged"}
TITLE = re.compile(
    r"\b(re-? ?inspection|inspection) of services for children in need of help and "
    r"protection,? children looked after and care leavers",
    re.IGNORECASE,
)
ROW_START = re.compile(r"^(\d)(?:\.(\d))?\.?\s+\S")
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
HEADING_MIN_SIZE = 13.5
#: Headings some reports print in plain 12 pt text.
PLAIN_HEADINGS = re.compile(
    r"Recommendations|Executive summary|Summary for children and young people|Inspection "
    r"findings|Summary",
    re.IGNORECASE,
)
TABLE_ROW_GAP = 2.0  # font sizes between the tops of two lines of one row
HEADING_LINE_GAP = 1.5  # font sizes between the tops of two lines of one heading
#: Table rows by their printed number: (area slug, parent area slug).
ROWS = {
    "1": "sif-help-and-protection",
    "2": "sif-children-looked-after",
    "2.1": "sif-adoption",
    "2.2": "sif-care-leavers",
    "3": "sif-leadership",
}
#: Where the paragraphs of a sub-judgement the report did not grade ("Not judged") go.
PARENTS = {
    "sif-adoption": "sif-children-looked-after",
    "sif-care-leavers": "sif-children-looked-after",
}
OVERALL = "sif-overall"
LSCB = "sif-lscb"
COUNCIL, BOARD = "local-authority", "lscb"


def is_sif(title_text):
    return TITLE.search(" ".join(title_text.split())) is not None


def grade_value(text):
    text = text.lower()
    if text.startswith("require"):
        return 3
    return {"outstanding": 1, "good": 2, "inadequate": 4}[text]


def first_grade(text):
    """The grade of a sentence such as 'Children's services in X require improvement to
    be good' or 'The overall judgement is requires improvement', or None."""
    found = re.search(rf"\b({GRADE})\b", text, re.IGNORECASE)
    return grade_value(found[1]) if found else None


def parse_sif(lines, *, footnotes=(), page_texts=()):
    """Parse a SIF report from its body lines (see extract.read_pdf). The ILACS parser's
    readers of the dates, the copyright line and paragraph joins (text.py) serve both."""
    first_page = [line for line in lines if line.page == 1]
    anomalies = []
    title_lines, at = [], 0
    while at < len(first_page) and not re.match(r"Inspection dates?:", first_page[at].text):
        title_lines.append(first_page[at])
        at += 1
    if at == len(first_page):
        raise ReportParseError("no 'Inspection dates:' on page 1 of this SIF report")
    printed_name, title = names(title_lines)
    dates = [first_page[at]]
    for line in first_page[at + 1 :]:
        if (
            re.match(r"Report published", line.text, re.IGNORECASE)
            or line.size != dates[0].size
            or line.bold != dates[0].bold
        ):
            break
        dates.append(line)
    start, end, dates_text = text.inspection_dates([numeric_dates(d) for d in dates])
    dates_text = " ".join(" ".join(d.text for d in dates).split(":", 1)[1].split())
    after = at + len(dates)
    if after < len(first_page) and re.match(r"Report published", first_page[after].text, re.I):
        after += 1
    second_page = list(
        itertools.takewhile(
            lambda line: line.min_size < HEADING_MIN_SIZE,
            (line for line in lines if line.page == 2),
        )
    )
    overall, rows, lscb_grade, not_judged, misnumbered = page_one_judgements(
        first_page[after:], second_page
    )
    anomalies.extend(misnumbered)
    anomalies.extend(f"the judgement table says '{row}' was not judged" for row in not_judged)
    parts = body(lines, anomalies)
    if lscb_grade is None:
        lscb_grade = parts["lscb_grade"]
    judgements = [TableRow(1, overall[0], OVERALL, overall[1])]
    judgements += [
        TableRow(len(judgements) + at, name, ROWS[number], grade)
        for at, (number, name, grade) in enumerate(
            [row for row in rows if row[2] is not None], start=1
        )
    ]
    if lscb_grade is not None:
        judgements.append(TableRow(len(judgements) + 1, lscb_grade[0], LSCB, lscb_grade[1]))
    elif parts["has_lscb_part"]:
        raise ReportParseError("the report reviews the LSCB but states no grade for it")
    check_sections(judgements, parts["section_grades"])
    graded = {row.area_slug for row in judgements}
    paragraphs = [
        p
        if p.area_slug in graded or p.area_slug not in PARENTS
        else replace(p, area_slug=PARENTS[p.area_slug])
        for p in parts["paragraphs"]
    ]
    ungraded = [p for p in paragraphs if p.area_slug not in graded]
    if ungraded:
        if any(p.area_slug == LSCB for p in ungraded):
            raise ReportParseError("numbered paragraphs of the LSCB's part, but no LSCB judgement")
        anomalies.append(
            f"paragraphs {ungraded[0].number} to {ungraded[-1].number} stand under a judgement "
            "the report did not grade ('Not judged'): kept under the overall judgement"
        )
        paragraphs = [
            p if p.area_slug in graded else replace(p, area_slug=OVERALL) for p in paragraphs
        ]
    if not paragraphs:
        if any(NUMBERED.match(line.text) for line in lines if line.page > 1):
            raise ReportParseError("no numbered paragraphs under the judgement headings")
        anomalies.append("the report numbers none of its paragraphs: it has no findings to cite")
    notice = text.copyright_notice(page_texts or [line.text for line in lines], anomalies)
    council = text.COUNCIL_WORDS.sub("", printed_name).strip()
    # "City of Bradford Metropolitan District Council", "Calderdale Metropolitan Council"
    council = re.sub(r" Metropolitan(?: District)?$", "", council)
    return ParsedReport(
        local_authority=council,
        printed_name=printed_name,
        title=title,
        start_date=start,
        end_date=end,
        dates_text=dates_text,
        lead_inspector=parts["lead_inspector"],
        lead_inspector_title="",
        framework="sif",
        framework_version=parts["layout"],
        inspection_type="re-inspection" if TITLE.search(title)[1].lower().startswith("re") else "",
        judgements=judgements,
        summary=parts["summaries"]["summary"],
        actions=parts["actions"],
        sections=[],
        paragraphs=paragraphs,
        footnotes=list(footnotes),
        copyright_notice=notice,
        anomalies=anomalies,
        other_summaries={k: v for k, v in parts["summaries"].items() if k != "summary" and v},
    )


MONTH_ABBREVIATIONS = {name[:3]: name for name in calendar.month_name if name}


def numeric_dates(line):
    """The line with dates printed as 12/09/2016 written out, for the dates reader."""

    def written(match):
        day, month, year = (int(n) for n in match.groups())
        if not 1 <= month <= 12:
            return match[0]
        return f"{day} {calendar.month_name[month]} {year}"

    text = re.sub(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", written, line.text)
    text = re.sub(
        r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?",
        lambda m: MONTH_ABBREVIATIONS[m[1][:3]],
        text,
    )
    return replace(line, text=text)


def names(title_lines):
    """(printed council name, title): the name is page 1's largest text, the title the
    bold lines under it ('... care leavers and Review of the effectiveness of ...')."""
    largest = max(line.size for line in title_lines)
    printed = " ".join(line.text for line in title_lines if line.size == largest)
    printed = re.sub(r"^\d+\s+", "", printed)  # a page number printed above it
    rest = " ".join(line.text for line in title_lines if line.size < largest)
    title = " ".join(rest.split())
    if not TITLE.search(title):
        raise ReportParseError("no SIF report title under the council's name on page 1")
    return printed, title


def page_one_judgements(top, second_page=()):
    """((overall sentence, grade), [(row number, name, grade)], (LSCB sentence, grade) or
    None, [rows not judged]) from page 1 after the dates (and, where the table runs over,
    the top of page 2). The table's rows start with their numbers; a row's name and its
    grade may wrap over lines, interleaved: the grade's words are the grade vocabulary's,
    and a line belongs to the row whose first line is nearest it."""
    first_row = next((i for i, line in enumerate(top) if line.text.startswith("1. ")), None)
    if first_row is None:
        raise ReportParseError(
            "no numbered judgement table (1. Children who need help...) on page 1"
        )
    sentence_lines, sentence_size = [], None
    for line in top[:first_row]:
        if sentence_size is None:
            sentence_size = line.size
        elif line.size != sentence_size or line.top - sentence_lines[-1].top > 2 * line.size:
            break
        sentence_lines.append(line)
    overall_text = " ".join(line.text for line in sentence_lines)
    overall_grade = first_grade(overall_text)
    if overall_grade is None:
        raise ReportParseError(f"no overall grade in '{overall_text}' on page 1")
    region = top[len(sentence_lines) :] + list(second_page)
    starts, misnumbered = [], []
    for line in region:
        row = ROW_START.match(line.text)
        if row is None or len(starts) == len(ROWS) or line.x0 > region[0].x0 + 80:
            continue
        printed = f"{row[1]}.{row[2]}" if row[2] else row[1]
        number = list(ROWS)[len(starts)]  # the rows are always these five, in this order
        if printed != number:
            misnumbered.append(f"row {number} of the judgement table is printed as {printed}")
        starts.append((number, line))
    members = {number: [line] for number, line in starts}
    after = []
    for line in region:
        if any(line is start for _, start in starts):
            continue
        number, start = min(
            starts, key=lambda s: (s[1].page != line.page, abs(s[1].top - line.top))
        )
        near = start.page == line.page and abs(start.top - line.top) < TABLE_ROW_GAP * line.size
        grade_only = all(w.lower() in GRADE_WORDS for _x, w in line.words)
        if near and (grade_only or line.x0 > start.x0 + 5):
            members[number].append(line)
        elif line.page == 1 and line.top > starts[-1][1].top:
            after.append(line)
    rows = []
    for number, _start in starts:
        words = [
            w for line in sorted(members[number], key=lambda each: each.top) for _x, w in line.words
        ]
        words.remove(next(w for w in words if re.fullmatch(r"\d(?:\.\d)?\.?", w)))
        rows.append(
            (
                number,
                [w for w in words if w.lower() not in GRADE_WORDS],
                [w for w in words if w.lower() in GRADE_WORDS],
            )
        )
    lscb = None
    table, not_judged = [], []
    for number, name_words, grade_words in rows:
        grade = " ".join(grade_words)
        if grade.lower() == "not judged":
            not_judged.append(" ".join(name_words))
            table.append((number, " ".join(name_words), None))
            continue
        if not re.fullmatch(GRADE, grade, re.IGNORECASE):
            raise ReportParseError(
                f"the judgement table on page 1 grades '{' '.join(name_words)}' as '{grade}', "
                "which is none of Outstanding, Good, Requires improvement (to be good), Inadequate"
            )
        table.append((number, " ".join(name_words), grade_value(grade)))
    if [row[0] for row in table] != list(ROWS):
        raise ReportParseError(
            "the judgement table on page 1 has rows "
            + ", ".join(row[0] for row in table)
            + ": a SIF table has 1, 2, 2.1, 2.2 and 3"
        )
    text = " ".join(line.text for line in after)
    found = re.search(
        rf"(The (?:judgement for the )?effectiveness of the Local Safeguarding Children Board"
        rf"(?: \(LSCB\))?(?: is:?)?"
        rf" ({GRADE}))",
        text,
        re.IGNORECASE,
    )
    if found:
        lscb = (found[1], grade_value(found[2]))
    return (overall_text, overall_grade), table, lscb, not_judged, misnumbered


def heading_text(block):
    return " ".join(" ".join(line.text for line in block).split())


def blocks_of(lines):
    """('heading', lines) and ('text', lines) blocks after page 1's judgement table (from
    an 'Executive summary' heading there, which some 2015-18 reports start under the table;
    otherwise from page 2), without the contents page(s) (from a 'Contents' title to the
    end of its page)."""
    blocks, skip_page = [], None
    summary_at = next(
        (
            at
            for at, line in enumerate(lines)
            if line.page == 1 and re.fullmatch(r"Executive summary", line.text, re.IGNORECASE)
        ),
        None,
    )
    for at, line in enumerate(lines):
        if line.page == 1 and (summary_at is None or at < summary_at):
            continue
        if line.text == "Contents" and line.size >= HEADING_MIN_SIZE:
            skip_page = line.page
        if line.page == skip_page:
            continue
        heading = (line.bold or line.min_size >= HEADING_MIN_SIZE) and not line.bullet
        heading = heading or PLAIN_HEADINGS.fullmatch(line.text) is not None
        if heading and NUMBERED.match(line.text) and not line.min_size >= HEADING_MIN_SIZE:
            heading = False  # a numbered paragraph that starts in bold
        kind = "heading" if heading else "text"
        last = blocks[-1][1][-1] if blocks else None
        if (
            blocks
            and blocks[-1][0] == kind
            and not (
                kind == "heading"
                and (line.page != last.page or line.top - last.top > HEADING_LINE_GAP * last.size)
            )
        ):
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return blocks


def without_grade(text):
    """The words of a heading without its grade's, wherever the grade wraps to."""
    return " ".join(w for w in text.split() if w.lower().strip(".") not in GRADE_WORDS)


def area_of(text):
    """The SIF judgement a section heading (or a 2014-15 'Key judgement' row) names."""
    low = without_grade(text).lower()
    if "graded judgement" in low or "graded judgment" in low:
        if "adoption" in low:
            return "sif-adoption"
        if "care leavers" in low:
            return "sif-care-leavers"
    if low.startswith("the experiences and progress of children"):
        if "help and protection" in low:
            return "sif-help-and-protection"
        if "looked after and achieving" in low:
            return "sif-children-looked-after"
    if low.startswith("leadership, management and governance"):
        return "sif-leadership"
    if low.startswith("adoption performance"):
        return "sif-adoption"
    if re.match(r"(the )?experiences? and progress of care leavers", low):
        return "sif-care-leavers"
    return None


def classify(heading):
    """What a heading starts: one of 'summary', 'children', 'actions', 'findings' (under
    the heading's judgement, if it names one), 'findings-summary' (numbered findings of the
    summary), 'key-table' (2014-15: the section's judgement is in the row after it),
    'ignore', or None to leave the state as it is (a sub-heading)."""
    low = heading.lower()
    if low in ("the local authority", "contents"):
        return "ignore"
    if re.search(
        r"(the following strengths|the local authority's strengths|progress since the last "
        r"inspection|key strengths and weaknesses|summary of (?:key )?findings)",
        low,
    ):
        return "findings-summary"
    if low.startswith("executive summary"):
        return "summary"
    if low.startswith("summary for children and young people"):
        return "children"
    if re.match(
        r"(recommendations|what does the (local authority|lscb) need to improve|priority and "
        r"immediate action|priority actions|areas for improvement)",
        low,
    ):
        return "actions"
    if re.match(r"(information about th|what the .*judge?ments mean)", low):
        return "ignore"
    if low.startswith("key judgement"):
        return "key-table"
    if area_of(heading) or low.startswith(("inspection findings", "inspection judgement about")):
        return "findings"
    return None


def body(lines, anomalies):
    """The report after page 1, read heading by heading."""
    summaries = {"summary": [], "children": [], "lscb-summary": [], "lscb-children": []}
    runs, section_grades = [], []
    part, state, area = COUNCIL, "ignore", OVERALL
    lscb_grade, has_lscb_part, layout, inspector = None, False, "sif-2014", ""
    #: Under a 2014-15 "Summary of findings" (or "strengths", "progress since"), until its
    #: first numbered paragraph: some reports print these findings unnumbered, and an
    #: unnumbered paragraph there is the report's summary.
    plain_summary = False

    def enter(text):
        nonlocal area
        found = area_of(text)
        if found and part == COUNCIL:
            area = found
            grade = re.search(rf"\b({GRADE})\b", text, re.IGNORECASE)
            if grade:
                section_grades.append((found, grade_value(grade[1]), text))
        return found

    for kind, block in blocks_of(lines):
        if kind == "heading":
            text = heading_text(block)
            low = text.lower()
            if re.search(r"local safeguarding children board|\blscb\b", low) and re.match(
                r"(section 2|the local safeguarding children board \(lscb\)$|inspection of the "
                r"effectiveness|review of the effectiveness)",
                low,
            ):
                part, state, area, has_lscb_part = BOARD, "ignore", LSCB, True
                continue
            board = re.match(
                rf"the (?:effectiveness of the )?(?:local safeguarding children board|lscb)"
                rf"(?: \(lscb\))? (?:is )?"
                rf"({GRADE})\.?$",
                low,
            )
            if board:
                part, area, has_lscb_part = BOARD, LSCB, True
                lscb_grade = lscb_grade or (text, grade_value(board[1]))
                continue
            if low.startswith("executive summary"):
                layout = "sif-2015"
            new_state = classify(text)
            if new_state is None:
                continue  # a sub-heading within the text: the state goes on
            plain_summary = new_state == "findings-summary"
            if new_state == "findings-summary":
                new_state, area = "findings", OVERALL if part == COUNCIL else LSCB
            elif new_state == "findings":
                enter(text)
            state = new_state
            continue
        if state == "key-table":
            row = list(itertools.takewhile(lambda line: not NUMBERED.match(line.text), block))
            enter(" ".join(line.text for line in row))
            block, state = block[len(row) :], "findings"
            if not block:
                continue
        if state == "summary":
            key = "summary" if part == COUNCIL else "lscb-summary"
            left, numbered = first_numbered(block)
            if numbered and numbered < len(block) and block[0].x0 <= left + 2:
                numbered = len(block)  # numbers at the summary's own margin: a list in it
            if block[:numbered]:
                summaries[key].extend(plain_paragraphs(block[:numbered]))
            if numbered < len(block):
                # findings straight after the summary, without a heading (some LSCB parts)
                state, area = "findings", OVERALL if part == COUNCIL else LSCB
                block = block[numbered:]
            else:
                continue
        if state == "findings" and plain_summary:
            _, numbered = first_numbered(block)
            if plain := [
                line
                for at, line in enumerate(block[:numbered])
                if not is_list_heading(block[at - 1] if at else None, line, block[at + 1 :])
            ]:
                key = "summary" if part == COUNCIL else "lscb-summary"
                summaries[key].extend(plain_paragraphs(plain))
            if numbered == len(block):
                continue
            plain_summary, block = False, block[numbered:]
        if state == "children":
            key = "children" if part == COUNCIL else "lscb-children"
            summaries[key].extend(plain_paragraphs(block))
        elif state in ("actions", "findings"):
            target = ("action", part) if state == "actions" else ("finding", area)
            runs.extend(numbered_runs(block, target, runs))
        elif state == "ignore" and not inspector:
            inspector = lead_inspector(block)
    paragraphs, actions = number_runs(runs, anomalies)
    return {
        "summaries": summaries,
        "actions": actions,
        "paragraphs": paragraphs,
        "section_grades": section_grades,
        "lscb_grade": lscb_grade,
        "has_lscb_part": has_lscb_part,
        "layout": layout,
        "lead_inspector": inspector,
    }


def lead_inspector(block):
    for line in block:
        if found := re.match(r"Lead inspector:\s*(.+)$", line.text):
            return re.sub(r",?\s*(HMI|(?:Her|His) Majesty's Inspector)$", "", found[1]).strip()
    return ""


def first_numbered(block):
    """The block's left margin, and the index of its first line that starts a numbered
    paragraph at that margin (len(block) if none)."""
    left = min(line.x0 for line in block)
    numbered = next(
        (i for i, line in enumerate(block) if NUMBERED.match(line.text) and line.x0 < left + 2),
        len(block),
    )
    return left, numbered


def is_list_heading(before, line, after):
    """Whether `line` is a heading printed as plain text over a group of bullet points
    ("Private fostering"): one line, no sentence's end, a bullet point next, and not
    indented past that bullet (as the last line of the bullet point before would be)."""
    return (
        not line.bullet
        and bool(after)
        and after[0].bullet
        and line.x0 < after[0].x0 + 8  # bullet text is indented about 18 points
        and (before is None or before.bullet or before.text.endswith((".", "!", "?")))
        # nor a closing quote or bracket, which may close a sentence ("… as 'good'.’"):
        # when in doubt the line is kept as text, never dropped
        and not line.text.endswith((*".!?:;,", "\u2019", "\u201d", "'", '"', ")", "]"))
    )


def plain_paragraphs(lines):
    """Unnumbered paragraphs: split at a bullet or a wider gap; across a page break a
    paragraph continues unless the line before ended a sentence."""
    paragraphs = [[lines[0]]]
    for before, line in itertools.pairwise(lines):
        if line.bullet or new_paragraph(before, line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [join(paragraph) for paragraph in paragraphs]


def numbered_runs(lines, target, before):
    """[number, target, page, texts, indent] of the numbered paragraphs in `lines`. A line
    starts one when it begins 'N.' left of the hanging indent of the paragraphs' other
    lines (the margin moves between pages of some reports, the indent with it); lines at
    the indent continue it; unnumbered text left of it (a table row, a note) belongs to no
    numbered paragraph. Recommendations printed
    as bullet points (some 2014-15 LSCB parts) are runs without a number."""
    runs = []
    indent = before[-1][4] if before else None
    current = before[-1] if before and before[-1][1] == target else None
    for line in lines:
        match = NUMBERED.match(line.text)
        left = indent is None or line.x0 < indent - 5
        if match and left:
            hanging = line.words[1][0] if len(line.words) > 1 else line.x0 + 20
            current = [int(match[1]), target, line.page, [match[2]], hanging]
            runs.append(current)
        elif line.bullet and target[0] == "action":
            current = [None, target, line.page, [line.text], line.x0 + 10]
            runs.append(current)
        elif current is not None and not left and not line.bullet:
            current[3].append(line.text)
            current[4] = indent = min(current[4], line.x0)
        else:
            current = None  # unnumbered text: ends the paragraph, kept nowhere
        if current is not None:
            indent = current[4]
    return runs


def number_runs(runs, anomalies):
    """Findings and actions (in order) from the runs. The numbers run once through the
    report; where they start again (an LSCB report bound in after the council's, numbered
    from 1), the repeated numbers are stored after the last number the report prints."""
    printed = {run[0] for run in runs if run[0] is not None}
    used, paragraphs, actions, previous, repeated = set(), [], [], 0, []
    for number, (kind, what), page, texts, _margin in runs:
        text = join(texts)
        if kind == "action":
            actions.append(Action(position=len(actions) + 1, text=text, addressed_to=what))
        if number is None:
            continue
        stored = number
        if number in used:
            stored = next(n for n in itertools.count(max(used) + 1) if n not in printed | used)
            repeated.append((number, stored, page))
        elif number > previous + 1:
            anomalies.append(
                f"paragraph {previous + 1} is not printed: paragraph {number} (page {page}) "
                f"follows paragraph {previous}"
                if number == previous + 2
                else f"paragraphs {previous + 1} to {number - 1} are not printed: paragraph "
                f"{number} (page {page}) follows paragraph {previous}"
            )
        used.add(stored)
        previous = max(previous, number)
        if kind == "finding":
            paragraphs.append(Paragraph(stored, text, what, page, number))
    if repeated:
        anomalies.append(
            f"paragraph numbers {repeated[0][0]} to {repeated[-1][0]} are printed a second "
            f"time (pages {repeated[0][2]} to {repeated[-1][2]}, a part numbered from 1 "
            f"again): stored as {repeated[0][1]} to {repeated[-1][1]}"
        )
    return paragraphs, actions


def check_sections(judgements, section_grades):
    """A section heading that prints a grade must agree with the table on page 1."""
    table = {row.area_slug: row for row in judgements}
    for area, grade, heading in section_grades:
        if area in table and table[area].grade != grade:
            raise ReportParseError(
                f"the heading '{heading}' disagrees with the judgement table on page 1 "
                f"('{table[area].name}')"
            )
