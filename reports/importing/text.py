"""What the ILACS and SIF readers share: the inspection dates, the copyright line, the
council's name without "Council", and joining a paragraph's lines."""

import calendar
import datetime
import re

from .result import ReportParseError

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
DATE = re.compile(rf"\b(\d{{1,2}})\b(?:\s+({'|'.join(MONTHS)}))?(?:\s+(\d{{4}}))?")
COPYRIGHT = re.compile(r"© Crown copyright (\d{4})")
#: Between the tops of two lines of unnumbered text, in the line's font sizes: the lines
#: of one paragraph are 1.1-1.4 apart, two paragraphs 1.7 or more (a blank line's worth
#: in most layouts, less in some 2016-18 SIF reports).
PARAGRAPH_GAP = 1.55
COUNCIL_WORDS = re.compile(
    r"^(?:(?:The )?(?:London|Royal) Borough of |City of )|"
    r" (?:Metropolitan Borough|County|City|Borough|District)? ?Council$"
)


def field_text(header, label, stop=("Lead inspector", "Judgement")):
    """The text after `label` (a regular expression) on page 1, over wrapped lines, up to
    a line starting with one of `stop`; None if no line starts with `label`."""
    for index, line in enumerate(header):
        if found := re.match(label, line.text):
            parts = [line.text[found.end() :]]
            for following in header[index + 1 :]:
                if following.text.startswith(stop) or following.size != line.size:
                    break
                parts.append(following.text)
            return " ".join(" ".join(parts).split())
    return None


def inspection_dates(header):
    """First and last inspection day from e.g. '10 to 14 February 2020' or
    '8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019'."""
    text = field_text(header, r"Inspection dates?:\s*")
    if text is None:
        raise ReportParseError("no 'Inspection dates:' on page 1")
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


def copyright_notice(page_texts, anomalies):
    """'© Crown copyright <year>' as printed; some reports print none (recorded)."""
    for text in reversed(page_texts):
        if match := COPYRIGHT.search(text):
            return match[0]
    anomalies.append("the report prints no '© Crown copyright <year>' notice")
    return ""


#: After a line ending in a hyphen, these words show the hyphen is a suspended one
#: ("decision- and policy-making", "short- to medium-term"): the space stays.
CONJUNCTIONS = {"and", "or", "nor", "to"}


#: A line that ends in a hyphen after a letter, or in an en dash straight after a word
#: or figure (2014, en dash, then 15 on the next line; "pre", en dash, "proceedings"): the
#: word goes on on the next line. An en dash with a space before it is a dash between words.
RUNS_ON = re.compile(r"(?:[A-Za-z]-|\w\u2013)$")


def join(lines):
    """Lines (or their texts) of one paragraph as one string. A line ending in a hyphen
    joins the next without a space ('co-' + 'location'), and so does one ending in an
    unspaced en dash (a range of years), unless the next line starts with a conjunction
    ('decision-' + 'and policy-making' is 'decision- and policy-making')."""
    text = ""
    for line in lines:
        line_text = getattr(line, "text", line)
        if text and not (RUNS_ON.search(text) and line_text.split(" ", 1)[0] not in CONJUNCTIONS):
            text += " "
        text += line_text
    return text


def new_paragraph(before, line):
    """Whether `line` starts a paragraph of unnumbered text after `before`."""
    if line.page == before.page:
        return line.top - before.top > PARAGRAPH_GAP * line.size
    return before.text.endswith((".", "!", "?"))
