"""Check the single inspection framework (SIF) reports imported into a database against
the PDFs themselves, read independently of the importer.

    DATABASE_URL=postgres://... .venv/bin/python bench/sif_grades.py ../shared/corpus \\
        ../shared/reports [--details]

For every PDF in the folders whose page 1 has the SIF title (or the 2013 framework's),
by its SHA-256 in the import log:

- the outcome of its import (the table by outcome; every file that did not import, with
  the importer's message);
- its grades against a reading of page 1 that is not the importer's: pypdfium2's plain
  text of the page (no positions, no fonts) and one regular expression per row of the
  SIF's fixed table, the overall sentence and the LSCB's sentence (or, where page 1 does
  not state it, the first 'The Local Safeguarding Children Board ... <grade>' of the
  report);
- every stored finding, recommendation and summary paragraph against the report's plain
  text with all white space removed (so that line breaks and hyphens at line ends do not
  count): verbatim if it is one piece of that text, "verbatim across breaks" if it is at
  most four pieces in order (a page break's running header and page number, or a
  footnote marker, between them), otherwise not verbatim;
- the paragraph numbers printed at the start of a line (plain text, after page 1)
  against the numbers stored for findings plus the recommendations that start with the
  same words.
"""

import argparse
import collections
import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")

GRADE = r"(Outstanding|Good|Requires?\s+improvement(?:\s+to\s+be\s+good)?|Inadequate|Not\s+judged)"
ROWS = {
    "sif-help-and-protection": r"1\.\s*Children\s+who\s+need\s+help\s+and\s+protection",
    "sif-children-looked-after": r"2\.\s*Children\s+looked\s+after\s+and\s+achieving\s+permanence",
    "sif-adoption": r"2\.1\s*Adoption\s+performance",
    "sif-care-leavers": r"2\.2\s*Experiences\s+and\s+progress\s+of\s+care\s+leavers",
    "sif-leadership": r"\d\.\s*Leadership,\s+management\s+and\s+governance",
}
TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def grade_of(text):
    text = " ".join(text.lower().split())
    if text.startswith("require"):
        return 3
    return {"outstanding": 1, "good": 2, "inadequate": 4, "not judged": None}[text]


def pdf_pages(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [
            pdf[i].get_textpage().get_text_range().translate(TYPOGRAPHY) for i in range(len(pdf))
        ]
    finally:
        pdf.close()


def framework_of(page_one):
    flat = " ".join(page_one.split())
    if re.search(r"help and protection, children looked after and care leavers", flat, re.I):
        return "sif"
    if re.search(r"Inspection of looked after children services", flat, re.I):
        return "2013"
    return None


def independent_grades(pages):
    """{area slug: grade} from the plain text, as described above."""
    # page 1, and the top of page 2 where the table runs over (Oldham 2015, Wirral 2016)
    second = re.split(r"Executive summary|Contents", pages[1] if len(pages) > 1 else "")[0]
    first = " ".join((pages[0] + " " + second).split())
    grades = {}
    overall = re.search(
        rf"(?:Children's\s+services\s+(?:in\s+.+?\s+)?(?:are\s+|is\s+)?|The\s+overall\s+"
        rf"judgement\s+is\s+(?:that\s+children's\s+services?\s+)?){GRADE}",
        first,
        re.I,
    )
    if overall:
        grades["sif-overall"] = grade_of(overall[1])
    for area, row in ROWS.items():
        found = re.search(rf"{row}\s*{GRADE}", first, re.I) or re.search(
            rf"{GRADE}\s*{row}", first, re.I
        )
        if found:
            grades[area] = grade_of(found[1])
    lscb = re.search(
        rf"effectiveness\s+of\s+the\s+(?:Local\s+Safeguarding\s+Children\s+Board|LSCB)"
        rf"(?:\s+\(LSCB\))?(?:\s+is:?)?\s+{GRADE}",
        first,
        re.I,
    )
    if lscb is None:
        rest = " ".join(" ".join(pages[1:]).split())
        lscb = re.search(
            rf"The\s+(?:effectiveness\s+of\s+the\s+)?(?:Local\s+Safeguarding\s+Children\s+Board|"
            rf"LSCB)(?:\s+\(LSCB\))?\s+(?:is\s+)?{GRADE}\.?\s",
            rest,
            re.I,
        )
    if lscb:
        grades["sif-lscb"] = grade_of(lscb[1])
    return {area: grade for area, grade in grades.items() if grade is not None}


def squeezed(text):
    """Without white space; PDFium's plain text marks a hyphen at a line's end \ufffe."""
    text = text.translate(TYPOGRAPHY).replace("\ufffe", "-").replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def pieces(text, document):
    """How many pieces of `document`, in order, `text` is (None if it is not)."""
    text, count, at = squeezed(text), 0, 0
    while text:
        low, high = 0, len(text)  # the longest prefix found after `at`
        while low < high:
            middle = (low + high + 1) // 2
            if document.find(text[:middle], at) >= 0:
                low = middle
            else:
                high = middle - 1
        if low < 8:  # a few letters found anywhere prove nothing
            return None
        at = document.find(text[:low], at) + low
        text, count = text[low:], count + 1
    return count


def printed_numbers(pages):
    numbers = set()
    for page in pages[1:]:
        for line in page.splitlines():
            found = re.match(r"\s*(\d{1,3})\.\s+[A-Z'(]", line)
            if found:
                numbers.add(int(found[1]))
    return numbers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from judgements.models import Finding, ImprovementAction, Judgement
    from reports.models import ImportLog, ImportOutcome, SummaryParagraph

    paths = sorted(p for folder in args.folders for p in folder.glob("*.pdf"))
    outcomes, failures = collections.Counter(), []
    reports = agree_reports = judgements = agree_judgements = 0
    verbatim = collections.Counter()
    numbers_total = numbers_stored = 0
    disagreements, not_verbatim, unstored = [], [], []
    for path in paths:
        pages = pdf_pages(path)
        framework = framework_of(pages[0])
        if framework is None:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        log = ImportLog.objects.filter(sha256=digest).order_by("-id").first()
        done = (
            ImportLog.objects.filter(
                sha256=digest,
                outcome__in=[ImportOutcome.IMPORTED, ImportOutcome.REPLACED],
                inspection__isnull=False,
            )
            .select_related("inspection")
            .first()
        )
        if done is None:
            outcome = log.get_outcome_display() if log else "not tried"
            outcomes[(framework, outcome.lower())] += 1
            failures.append((path.name, log.message if log else "no import log"))
            continue
        inspection = done.inspection
        outcomes[
            (framework, "imported with anomalies" if inspection.anomalies else "imported")
        ] += 1
        reports += 1
        stored = dict(
            Judgement.objects.filter(inspection=inspection).values_list("area__slug", "grade")
        )
        read = independent_grades(pages)
        judgements += len(stored)
        agreeing = sum(read.get(area) == grade for area, grade in stored.items())
        agree_judgements += agreeing
        if agreeing == len(stored) and set(read) == set(stored):
            agree_reports += 1
        else:
            disagreements.append((path.name, stored, read))
        document = squeezed(" ".join(pages))
        texts = [
            ("finding", f.number, f.text) for f in Finding.objects.filter(inspection=inspection)
        ]
        actions = list(ImprovementAction.objects.filter(inspection=inspection))
        texts += [("recommendation", a.position, a.text) for a in actions]
        texts += [
            (f"summary ({s.kind})", s.position, s.text)
            for s in SummaryParagraph.objects.filter(inspection=inspection)
        ]
        for kind, number, text in texts:
            count = pieces(text, document)
            key = (
                "verbatim"
                if count == 1
                else "verbatim across breaks"
                if count and count <= 4
                else "not verbatim"
            )
            verbatim[(kind.split(" ")[0], key)] += 1
            if key == "not verbatim":
                not_verbatim.append((path.name, kind, number, text[:80]))
        printed = printed_numbers(pages)
        finding_numbers = set(
            Finding.objects.filter(inspection=inspection).values_list("number", flat=True)
        )
        starts = [squeezed(a.text)[:30] for a in actions]
        for number in sorted(printed):
            numbers_total += 1
            line = next(
                (
                    line
                    for page in pages[1:]
                    for line in page.splitlines()
                    if re.match(rf"\s*{number}\.\s+[A-Z'(]", line)
                ),
                "",
            )
            after = squeezed(re.sub(rf"^\s*{number}\.", "", line))[:20]
            if number in finding_numbers or any(s.startswith(after) for s in starts if after):
                numbers_stored += 1
            else:
                unstored.append((path.name, number, line.strip()[:70]))
    print("Outcome by framework (files whose page 1 has the SIF or 2013 title):")
    for (framework, outcome), count in sorted(outcomes.items()):
        print(f"  {framework:<6}{outcome:<26}{count:>5}")
    print(f"  {'all':<32}{sum(outcomes.values()):>5}")
    for name, message in failures:
        print(f"  not imported: {name}: {message}")
    print(
        f"grades against page 1's plain text: {agree_reports}/{reports} reports agree, "
        f"{agree_judgements}/{judgements} judgements"
    )
    for name, stored, read in disagreements:
        print(f"  {name}: imported {stored}, plain text reads {read}")
    print("stored text against the report's plain text:")
    for (kind, key), count in sorted(verbatim.items()):
        print(f"  {kind:<16}{key:<24}{count:>6}")
    for item in not_verbatim[: None if args.details else 10]:
        print("  not verbatim:", *item)
    print(
        f"numbers printed at the start of a line: {numbers_stored}/{numbers_total} are a "
        "stored finding's number or start a stored recommendation"
    )
    for item in unstored[: None if args.details else 15]:
        print("  not stored:", *item)


if __name__ == "__main__":
    main()
