"""Parse every report PDF in a folder and say what became of each.

    .venv/bin/python bench/parse_corpus.py ../shared/corpus [../shared/reports ...]
        [--processes 2] [--out bench/.work/parse_corpus.json] [--code CHECKOUT]

Each PDF is parsed (no database) in a pool of processes and classified as parsed,
parsed with anomalies, refused as SIF, refused as the 2013 framework, refused for
another reason, or crashed (an exception other than ReportParseError: a bug). For every
parsed report the grades are checked against an independent reading of page 1 (the
text pypdfium2 gives, and a regular expression; no positions, no fonts), and the highest
paragraph number against the count of paragraphs. The table goes to stdout, every file's
details to --out (JSON) and a readable list beside it (.txt). Exit status 1 if anything
crashed. --code runs another checkout's importer (e.g. an older version, exported with
`git archive <commit> reports | tar -x -C /tmp/v1`) to compare times and outcomes.
"""

import argparse
import collections
import json
import multiprocessing
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

GRADE_WORDS = re.compile(
    r"\b(Outstanding|Good|Requires? [Ii]mprovement(?: to be good)?|Inadequate)\b"
)
GRADE_OF = {"outstanding": 1, "good": 2, "inadequate": 4}
CLASSES = [
    "parsed",
    "parsed with anomalies",
    "parsed (SIF)",
    "parsed with anomalies (SIF)",
    "refused: SIF",
    "refused: 2013 framework",
    "refused: other",
    "crashed",
]


def independent_grades(path):
    """{area: grade} from page 1's plain text: after 'Judgement Grade', each judgement's
    name followed by its grade, until text that is not a judgement's name."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    text = " ".join(text.replace("\u2019", "'").split())
    at = re.search(r"Judgements? Grades?", text)
    if at is None:
        return {}
    rest, grades = text[at.end() :], {}
    while match := GRADE_WORDS.search(rest):
        name = rest[: match.start()].lower()
        area = area_of(name)
        # A judgement's name is short, names one area once, and has no sentence break,
        # number or comma: the summary after the table does.
        sentence = ". " in name.strip() or re.search(r"[\d,]", name)
        if area is None or area in grades or len(name) > 160 or sentence:
            break
        grades[area] = GRADE_OF.get(match[1].lower(), 3)
        rest = rest[match.end() :]
    return grades


def area_of(name):
    if "overall effectiveness" in name:
        return "overall-effectiveness"
    if "impact of leaders" in name:
        return "impact-of-leaders"
    if "help and" in name and "protection" in name:
        return "help-and-protection"
    if "children in care" in name and "care leavers" in name:
        return "children-in-care-and-care-leavers"
    if "children in care" in name:
        return "children-in-care"
    if "care leavers" in name:
        return "care-leavers"
    return None


def examine(path):
    """What became of one file, as a dict (runs in a worker process)."""
    from reports.importing import ReportParseError, parse_report

    started, cpu = time.perf_counter(), time.process_time()
    row = {"file": path.name, "folder": path.parent.name}
    try:
        report = parse_report(path)
    except ReportParseError as error:
        message = str(error)
        row["message"] = message
        if "2013" in message and "framework" in message:
            row["class"] = "refused: 2013 framework"
        elif "single inspection framework" in message:
            row["class"] = "refused: SIF"
        else:
            row["class"] = "refused: other"
    except Exception:  # a crash is what this script is for finding
        row["class"] = "crashed"
        row["message"] = traceback.format_exc()
    else:
        anomalies = getattr(report, "anomalies", [])  # parser version 2 on
        numbers = [p.number for p in report.paragraphs]
        grades = {j.area_slug: j.grade for j in report.judgements}
        sif = getattr(report, "framework", "ilacs") == "sif"
        kind = "parsed with anomalies" if anomalies else "parsed"
        row |= {
            "class": f"{kind} (SIF)" if sif else kind,
            "framework": "sif" if sif else "ilacs",
            "slug": report.slug,
            "layout": report.framework_version,
            "anomalies": anomalies,
            "grades": grades,
            "paragraphs": len(numbers),
            "highest_number": max(numbers, default=0),
            "actions": len(report.actions),
            "summary": len(report.summary),
            "lscb_summary": len(getattr(report, "other_summaries", {}).get("lscb-summary", [])),
        }
        try:
            if sif:  # bench/sif_grades.py's reading of the SIF's page 1
                from sif_grades import independent_grades as sif_grades
                from sif_grades import pdf_pages

                row["independent_grades"] = sif_grades(pdf_pages(path))
            else:
                row["independent_grades"] = independent_grades(path)
        except Exception as error:
            row["independent_grades"] = {"error": str(error)}
    # CPU seconds of the parse (and the cross-check) say what the parser costs on a
    # busy machine; wall seconds what it cost here.
    row["seconds"] = round(time.perf_counter() - started, 3)
    row["cpu_seconds"] = round(time.process_time() - cpu, 3)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".work" / "parse_corpus.json")
    parser.add_argument("--code", type=Path, help="a checkout whose reports/importing to run")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    paths = sorted(p for folder in args.folders for p in folder.glob("*.pdf"))
    if not paths:
        sys.exit(f"no PDF files in {', '.join(map(str, args.folders))}")
    started = time.perf_counter()
    with multiprocessing.Pool(args.processes) as pool:
        rows = pool.map(examine, paths, chunksize=1)
    wall = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    with args.out.with_suffix(".txt").open("w") as out:
        for row in rows:
            out.write(f"{row['folder']}/{row['file']}: {row['class']} ({row['seconds']} s)\n")
            for line in row.get("anomalies", []):
                out.write(f"    anomaly: {line}\n")
            if "message" in row:
                out.write("    " + row["message"].replace("\n", "\n    ") + "\n")
            if row.get("independent_grades", row.get("grades")) != row.get("grades"):
                page_one = row["independent_grades"]
                out.write(f"    grades {row['grades']} but page 1 reads {page_one}\n")
    print_table(rows, wall, args)
    return 1 if any(row["class"] == "crashed" for row in rows) else 0


def print_table(rows, wall, args):
    counts = collections.Counter(row["class"] for row in rows)
    print(f"{len(rows)} PDF files in {', '.join(map(str, args.folders))}")
    for name in CLASSES:
        print(f"  {name:<26}{counts[name]:>5}")
    parsed = [row for row in rows if row["class"].startswith("parsed")]
    agree = [row for row in parsed if row["independent_grades"] == row["grades"]]
    judgements = sum(len(row["grades"]) for row in parsed)
    agreeing = sum(
        sum(row["independent_grades"].get(area) == grade for area, grade in row["grades"].items())
        for row in parsed
    )
    print(
        f"grades against page 1's plain text: {len(agree)}/{len(parsed)} reports agree, "
        f"{agreeing}/{judgements} judgements"
    )
    for framework in ("ilacs", "sif"):
        some = [row for row in parsed if row["framework"] == framework]
        print(
            f"summary paragraphs ({framework}): {sum(row['summary'] for row in some)} in "
            f"{len(some)} reports; none in {sum(not row['summary'] for row in some)}, "
            f"one in {sum(row['summary'] == 1 for row in some)}"
            + (
                f"; LSCB summary paragraphs {sum(row['lscb_summary'] for row in some)}"
                if framework == "sif"
                else ""
            )
        )
    # SIF reports number their recommendations with their findings: ILACS reports only.
    parsed = [row for row in parsed if row["framework"] == "ilacs"]
    numbered = [row for row in parsed if row["highest_number"] == row["paragraphs"]]
    print(
        f"highest paragraph number = number of paragraphs: {len(numbered)}/{len(parsed)}"
        + "".join(
            f"\n  {row['file']}: {row['paragraphs']} paragraphs, highest {row['highest_number']}"
            for row in parsed
            if row not in numbered
        )
    )
    for kind in ["seconds", "cpu_seconds"]:
        every = [row[kind] for row in rows]
        reports = [row[kind] for row in parsed]
        print(
            f"{kind.replace('_', ' ')} per file: mean {sum(every) / len(every):.2f}; per parsed "
            f"report: mean {sum(reports) / max(len(reports), 1):.2f}, "
            f"max {max(reports, default=0):.2f}"
        )
    print(f"wall time: {wall:.1f} s on {args.processes} processes")
    for row in rows:
        if row["class"] in ("refused: other", "crashed"):
            print(f"  {row['class']}: {row['file']}: {row['message'].splitlines()[-1]}")
    print(f"details: {args.out} and {args.out.with_suffix('.txt')}")


if __name__ == "__main__":
    sys.exit(main())
