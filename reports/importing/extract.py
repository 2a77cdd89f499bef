"""From a PDF file to lines of text with their position, size and weight.

The characters, with their boxes, sizes and fonts, come from PDFium (pypdfium2), about
ten times faster than pdfminer; pdfplumber's word extractor groups them into words, as
it did when pdfplumber read the PDF too (see docs/decisions/importer.md). Running
headers and footers, page numbers and footnote markers are dropped here by size and
position, so the parser only ever sees the report's own text.
"""

import ctypes
import itertools
import math
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2_raw
from pdfplumber.utils.text import extract_words

from .result import Footnote, Line, ReportParseError

# Body text is 11-12 pt; running footers are 8 pt, footnotes 10 pt, footnote markers
# 6.5-9 pt, page numbers 20 pt at the foot of the page.
BODY_MIN_SIZE = 10.5
FOOTNOTE_SIZES = (9.5, 10.5)
PAGE_NUMBER_MIN_SIZE = 18
SAME_LINE = 3.0  # points between the tops of words on one line
WORD_GAP = 0.8  # points between two words (less: letters of one word)
BULLET_FONTS = ("Wingdings", "Symbol")
PARAGRAPH_NUMBER = re.compile(r"\d{1,3}\.")
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
    lines, footnotes, texts = [], [], []
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise ReportParseError(f"{path.name}: the PDF is truncated or damaged ({error})") from None
    try:
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                words, height = page_words(page), page.get_height()
            except pdfium.PdfiumError as error:
                raise ReportParseError(
                    f"{path.name}: page {number} of the PDF cannot be read ({error})"
                ) from None
            finally:
                page.close()
            texts.append(normalise(" ".join(w["text"] for w in words)))
            page_lines, page_footnotes = page_text(number, height, words)
            if number == 1 and check_first_page is not None:
                check_first_page(page_lines)
            lines.extend(page_lines)
            footnotes.extend(page_footnotes)
    finally:
        pdf.close()
    if not lines:
        raise ReportParseError(f"{path.name}: the PDF has no text (a scan?)")
    return without_back_cover(lines), footnotes, texts


#: The first words of the publisher's back page every Ofsted report ends with (who
#: Ofsted is, other formats, the licence, the address). Usually printed smaller than the
#: body, and so left out with the footnotes; some reports print it at the body's size.
BACK_COVER = re.compile(r"The Office for Standards in Education, Children.s Services and Skills")


def without_back_cover(lines):
    """The lines without the last page's, when that page is Ofsted's back cover: it is the
    publisher's, not the report's, and would otherwise run on from the last paragraph.
    (The copyright line on it is read from the page's raw text, which keeps it.)"""
    last = lines[-1].page
    on_last = [line for line in lines if line.page == last]
    if len(on_last) < len(lines) and BACK_COVER.match(on_last[0].text):
        return [line for line in lines if line.page != last]
    return lines


def _function(name, restype, *argtypes):
    """A private ctypes prototype of a PDFium function: plain pointers and numbers, no
    per-call type wrapping, which is most of the cost of reading 30,000 characters."""
    function = pypdfium2_raw.bindings._libs["pdfium"][name]
    function.restype, function.argtypes = restype, argtypes
    return function


_void, _int = ctypes.c_void_p, ctypes.c_int
_unicode = _function("FPDFText_GetUnicode", ctypes.c_uint, _void, _int)
_generated = _function("FPDFText_IsGenerated", _int, _void, _int)
_text_object = _function("FPDFText_GetTextObject", _void, _void, _int)
_box = _function("FPDFText_GetLooseCharBox", _int, _void, _int, ctypes.POINTER(pdfium.raw.FS_RECTF))
_origin = _function(
    "FPDFText_GetCharOrigin",
    _int,
    _void,
    _int,
    ctypes.POINTER(ctypes.c_double),
    ctypes.POINTER(ctypes.c_double),
)
_font_size = _function("FPDFText_GetFontSize", ctypes.c_double, _void, _int)
_matrix = _function("FPDFText_GetMatrix", _int, _void, _int, ctypes.POINTER(pdfium.raw.FS_MATRIX))
_font = _function("FPDFTextObj_GetFont", _void, _void)
_font_name = _function(
    "FPDFFont_GetBaseFontName", ctypes.c_size_t, _void, ctypes.c_char_p, ctypes.c_size_t
)
WHITESPACE = {0x09, 0x0A, 0x0D, 0x20, 0xA0}
#: PDFium gives a hyphen printed at the end of a line as this control character.
LINE_END_HYPHEN = 0x02


def page_chars(page):
    """Every character on the page as pdfplumber would give it: text, box (top measured
    from the top of the page), size, font name. PDFium's own spaces and line breaks
    (and the PDF's) all become one space: a word ends there."""
    textpage = page.get_textpage()
    try:
        handle = ctypes.cast(textpage.raw, _void)
        height = page.get_height()
        chars, box, matrix = [], pdfium.raw.FS_RECTF(), pdfium.raw.FS_MATRIX()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        buffer = ctypes.create_string_buffer(256)
        fonts, current, style = {}, None, None
        for index in range(pdfium.raw.FPDFText_CountChars(textpage.raw)):
            code = _unicode(handle, index)
            if code == LINE_END_HYPHEN:
                code = ord("-")
            _box(handle, index, ctypes.byref(box))
            if code in WHITESPACE or code < 0x20:
                # On the line of the character before it (PDFium puts its own spaces
                # half-way down the line), where it ends a word.
                last = chars[-1] if chars else {"top": 0.0, "bottom": 0.0}
                chars.append(
                    {
                        "text": " ",
                        "x0": box.left,
                        "x1": box.right,
                        "top": last["top"],
                        "bottom": last["bottom"],
                        "printed": code in (0x20, 0xA0) and not _generated(handle, index),
                    }
                )
                continue
            text_object = _text_object(handle, index)
            if text_object != current or style is None:
                current = text_object
                font = _font(text_object) if text_object else None
                if font not in fonts:
                    length = _font_name(font, buffer, len(buffer)) if font else 0
                    fonts[font] = buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")
                _matrix(handle, index, ctypes.byref(matrix))
                # PDFium's font size is the one the PDF sets (Tf); the type's size on
                # the page is that times the text's vertical scale, as pdfminer
                # measures it (a slanted "italic" full stop is no taller).
                scale = abs(matrix.d) or math.hypot(matrix.c, matrix.d)
                style = {
                    "size": _font_size(handle, index) * scale,
                    "fontname": fonts[font],
                    "upright": matrix.b == 0 and matrix.c == 0,
                }
            # A character starts at its origin, as in pdfminer (the box can start
            # further left, at the glyph's side bearing: a quotation mark's does).
            _origin(handle, index, ctypes.byref(origin_x), ctypes.byref(origin_y))
            chars.append(
                {
                    "text": chr(code),
                    "x0": origin_x.value,
                    "x1": box.right,
                    "top": height - box.top,
                    "bottom": height - box.bottom,
                    **style,
                }
            )
    finally:
        textpage.close()
    return chars


def page_words(page):
    """The page's words, with pdfplumber's rules (a word ends at a space, a change of
    size or font, or a gap of more than WORD_GAP), each knowing whether the PDF prints
    a space after it."""
    chars = page_chars(page)
    # A space only ends the word before it; it needs the attributes words group by.
    previous = {"size": 0.0, "fontname": "", "upright": True}
    for index, char in enumerate(chars):
        char["doctop"], char["index"] = char["top"], index
        if char["text"] == " ":
            char.update(size=previous["size"], fontname=previous["fontname"], upright=True)
        else:
            previous = char
    words = extract_words(
        chars, x_tolerance=WORD_GAP, extra_attrs=["size", "fontname"], return_chars=True
    )
    for word in words:
        after = word.pop("chars")[-1]["index"] + 1
        # A space the PDF prints is a space even where the next word starts at once (a
        # full stop in slanted type reaches under the next capital: 'quality. Personal').
        word["space_after"] = after < len(chars) and chars[after].get("printed", False)
    return words


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
    # A paragraph number printed in footnote-sized type at the start of a body line
    # (Buckinghamshire 2018's "14.") is the paragraph's number, not a footnote.
    numbers = [w for w in small if is_paragraph_number(w, body)]
    body += numbers
    small = [w for w in small if w not in numbers]
    markers = [w for w in words if w["size"] < FOOTNOTE_SIZES[0] and w["text"].isdigit()]
    lines = [make_line(number, group, markers) for group in group_lines(body)]
    return lines, footnotes_of(number, small, markers, lines)


def is_paragraph_number(word, body):
    """'14.' beside the first body word of a line, on the same baseline."""
    if not PARAGRAPH_NUMBER.fullmatch(word["text"]):
        return False
    return any(
        abs(other["bottom"] - word["bottom"]) <= 1.5 and 0 < other["x0"] - word["x1"] < 40
        for other in body
    )


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
        space = word["x0"] - before["x1"] > WORD_GAP or before.get("space_after", False)
        text += (" " if space else "") + word["text"]
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
        min_size=min(w["size"] for w in text_words),
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
