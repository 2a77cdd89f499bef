"""From a PDF file to lines of text with their position, size and weight (pdfplumber).

Running headers and footers, page numbers and footnote markers are dropped here by
size and position, so the parser only ever sees the report's own text.
"""

import itertools
import unicodedata
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from .result import Footnote, Line, ReportParseError

# Body text is 11-12 pt; running footers are 8 pt, footnotes 10 pt, footnote markers
# 6.5-9 pt, page numbers 20 pt at the foot of the page.
BODY_MIN_SIZE = 10.5
FOOTNOTE_SIZES = (9.5, 10.5)
PAGE_NUMBER_MIN_SIZE = 18
SAME_LINE = 3.0  # points between the tops of words on one line
BULLET_FONTS = ("Wingdings", "Symbol")
BULLET_CHARACTERS = set("◼■▪•●\uf0a7\uf0b7\uf06e")

TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
    }
)


def normalise(text):
    """Plain quotes and apostrophes, no ligatures: the characters the project's fixture uses."""
    return unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)


def read_pdf(path, *, check_first_page=None):
    """Return (lines, footnotes, raw page texts) of the PDF at `path`, or raise ReportParseError.

    `check_first_page(lines)` runs on page 1 before the other pages are read, so a file
    that is refused on its first page (a 40-page SIF report) is refused quickly.
    """
    path = Path(path)
    check_file(path)
    try:
        with pdfplumber.open(path) as pdf:
            lines, footnotes, texts = [], [], []
            for number, page in enumerate(pdf.pages, start=1):
                words = page.extract_words(extra_attrs=["size", "fontname"])
                texts.append(normalise(" ".join(w["text"] for w in words)))
                page_lines, page_footnotes = page_text(number, page.height, words)
                if number == 1 and check_first_page is not None:
                    check_first_page(page_lines)
                lines.extend(page_lines)
                footnotes.extend(page_footnotes)
    except (PDFSyntaxError, PdfminerException, ValueError, KeyError, TypeError) as error:
        raise ReportParseError(f"{path.name}: the PDF is truncated or damaged ({error})") from None
    if not lines:
        raise ReportParseError(f"{path.name}: the PDF has no text (a scan?)")
    return lines, footnotes, texts


def check_file(path):
    if not path.exists():
        raise ReportParseError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(1024)
    if not head:
        raise ReportParseError(f"{path.name}: the file is empty")
    if b"%PDF-" not in head:
        raise ReportParseError(f"{path.name}: not a PDF (it does not start with %PDF-)")
    file_tail = path.read_bytes()[-2048:]
    if b"%%EOF" not in file_tail:
        raise ReportParseError(f"{path.name}: the PDF is truncated or damaged (no end marker)")


def page_text(number, height, words):
    """Split one page's words into body lines and footnotes; drop everything else."""
    body = [w for w in words if w["size"] >= BODY_MIN_SIZE and not is_page_number(w, height)]
    small = [w for w in words if FOOTNOTE_SIZES[0] <= w["size"] < FOOTNOTE_SIZES[1]]
    markers = [w for w in words if w["size"] < FOOTNOTE_SIZES[0] and w["text"].isdigit()]
    lines = [make_line(number, group, markers) for group in group_lines(body)]
    return lines, footnotes_of(number, small, markers, lines)


def is_page_number(word, height):
    return (
        word["size"] >= PAGE_NUMBER_MIN_SIZE
        and word["text"].isdigit()
        and word["top"] > height * 0.85
    )


def group_lines(words):
    """Words in reading order, grouped into lines by their top."""
    lines = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def join_words(words):
    """The words of a line as text, with a space only where the PDF leaves a gap."""
    text = words[0]["text"]
    for before, word in itertools.pairwise(words):
        text += (" " if word["x0"] - before["x1"] > 0.8 else "") + word["text"]
    return normalise(text)


def is_bullet(word):
    return any(f in word["fontname"] for f in BULLET_FONTS) or word["text"] in BULLET_CHARACTERS


def make_line(page, words, markers):
    """A Line from its words; footnote markers raised above it are kept as references."""
    bullet = is_bullet(words[0])
    top = min(w["top"] for w in words)
    refs = tuple(
        int(m["text"])
        for m in markers
        if top - 6 <= m["top"] <= top + SAME_LINE and m["x0"] >= words[0]["x0"]
    )
    text_words = words[1:] if bullet and len(words) > 1 else words
    gap = text_words[1]["x0"] - text_words[0]["x1"] if len(text_words) > 1 else 0.0
    return Line(
        page=page,
        x0=words[0]["x0"],
        top=top,
        size=max(w["size"] for w in words),
        bold=all("Bold" in w["fontname"] for w in text_words),
        text=join_words(text_words),
        gap_after_first_word=gap,
        bullet=bullet,
        footnote_refs=refs,
        words=tuple((w["x0"], normalise(w["text"])) for w in text_words),
    )


def footnotes_of(page, small_words, markers, body_lines):
    """Footnotes: 10 pt text below the page's body, each starting at a small number."""
    bottom = max((line.top for line in body_lines), default=0)
    footnotes = []
    for group in group_lines([w for w in small_words if w["top"] > bottom]):
        marker = next((m for m in markers if abs(m["top"] - group[0]["top"]) <= SAME_LINE), None)
        if marker is not None and marker["x0"] < group[0]["x0"]:
            footnotes.append(Footnote(page, int(marker["text"]), join_words(group)))
        elif footnotes:
            last = footnotes[-1]
            footnotes[-1] = Footnote(page, last.number, f"{last.text} {join_words(group)}")
    return footnotes
