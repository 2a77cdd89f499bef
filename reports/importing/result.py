"""What the parser makes of a report: plain dataclasses, no database."""

import datetime
from dataclasses import dataclass, field

from django.utils.text import slugify

from reports.errors import ReportParseError  # noqa: F401 - raised and caught as this


@dataclass(frozen=True)
class Line:
    """One line of body text on a page, with what the parser needs to know about it."""

    page: int
    x0: float
    top: float
    size: float
    bold: bool
    text: str
    gap_after_first_word: float = 0.0
    bullet: bool = False
    footnote_refs: tuple[int, ...] = ()
    words: tuple[tuple[float, str], ...] = ()  # (x0, text) of each word, for tables
    min_size: float = 0.0  # of its smallest word: a line is only a heading if all is large


@dataclass(frozen=True)
class Footnote:
    page: int
    number: int
    text: str


@dataclass(frozen=True)
class TableRow:
    """One row of the judgement table on page 1."""

    position: int
    name: str
    area_slug: str
    grade: int


@dataclass
class Action:
    """One "What needs to improve" point, verbatim, with its structured parts."""

    position: int
    text: str
    sub_points: list[str] = field(default_factory=list)
    framework_reference: str = ""
    footnotes: list[str] = field(default_factory=list)
    #: To whom the report addresses it: the local authority, or (SIF) the LSCB.
    addressed_to: str = "local-authority"


@dataclass
class Paragraph:
    number: int  # the citable number it is stored under
    text: str
    area_slug: str
    page: int
    printed_number: int | None = None  # as printed, where a numbering slip made it differ


@dataclass(frozen=True)
class Section:
    """A judgement's section heading, e.g. "... care leavers: good"."""

    heading: str
    area_slug: str
    grade: int
    page: int


@dataclass
class ParsedReport:
    local_authority: str
    printed_name: str
    title: str
    start_date: datetime.date
    end_date: datetime.date
    dates_text: str
    lead_inspector: str
    lead_inspector_title: str
    framework: str
    framework_version: str
    inspection_type: str
    judgements: list[TableRow]
    summary: list[str]
    actions: list[Action]
    sections: list[Section]
    paragraphs: list[Paragraph]
    footnotes: list[Footnote]
    copyright_notice: str
    #: What the report itself gets wrong and was imported as printed (a paragraph number
    #: skipped or printed twice, no copyright line), in words a person can check.
    anomalies: list[str] = field(default_factory=list)
    #: SIF's other unnumbered summaries, by kind: "children" (the summary for children
    #: and young people), "lscb-summary", "lscb-children".
    other_summaries: dict[str, list[str]] = field(default_factory=dict)

    @property
    def slug(self):
        """The inspection's stable address: local authority and year-month of the first day."""
        return f"{slugify(self.local_authority)}-{self.start_date:%Y-%m}"
