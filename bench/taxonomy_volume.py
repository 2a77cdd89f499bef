"""How many numbered paragraphs of the ILACS reports in a folder are about each candidate
service area: the volume figures behind docs/decisions/service-area-taxonomy.md.

    .venv/bin/python bench/taxonomy_volume.py ../shared/corpus [--samples 8]

Each PDF is parsed (no database); SIF and older reports are skipped. A paragraph
"mentions" an area when one of its sentences matches the area's pattern, and counts as
"substantial" when at least two sentences match, or the matching sentence is at least a
third of the paragraph. That is a keyword estimate: the decision note gives how many of a
sample of substantial paragraphs really were about the area, read by a person.
--samples prints that many random substantial paragraphs per area (to stdout, for the
reader: never save them into the project).
"""

import argparse
import collections
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CANDIDATES = {
    "homeless-young-people": (
        r"(16|17|sixteen|seventeen)[^.]*homeless|homeless[^.]*(16|17|sixteen|seventeen)"
        r"|homeless (children|young people)|(children|young people) (who )?(are |present(ing)?"
        r" as |becom\w+ )homeless|youth homeless|homelessness protocol|housing protocol"
    ),
    "young-carers": r"young carer",
    "unaccompanied-children": r"unaccompanied|asylum",
    "participation": (
        r"participation|in[- ]care council|care leavers'? (forum|council|group)"
        r"|youth (voice|council|parliament)|co-?produc|children's council"
        r"|young people's (forum|council)"
        r"|(voice|views) of (children|young people)[^.]*(influenc|shap|service|strateg|develop)"
        r"|(influenc|shap)\w* (service|strateg|polic|the development)"
    ),
    "corporate-parenting": r"corporate parent",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def main():
    from reports.importing import parse_report
    from reports.importing.result import ReportParseError

    arguments = argparse.ArgumentParser()
    arguments.add_argument("folder", type=Path)
    arguments.add_argument("--samples", type=int, default=0)
    options = arguments.parse_args()
    reports = paragraphs = 0
    mentions, substantial = collections.Counter(), collections.Counter()
    mention_reports = collections.defaultdict(set)
    substantial_reports = collections.defaultdict(set)
    found = collections.defaultdict(list)
    for path in sorted(options.folder.glob("*.pdf")):
        try:
            report = parse_report(path)
        except ReportParseError:
            continue  # SIF and the 2013 framework: not ILACS
        reports += 1
        for paragraph in report.paragraphs:
            paragraphs += 1
            sentences = SENTENCE_END.split(paragraph.text)
            for area, pattern in CANDIDATES.items():
                matching = [s for s in sentences if re.search(pattern, s, re.IGNORECASE)]
                if not matching:
                    continue
                mentions[area] += 1
                mention_reports[area].add(path.name)
                if len(matching) >= 2 or len(matching) / len(sentences) >= 1 / 3:
                    substantial[area] += 1
                    substantial_reports[area].add(path.name)
                    found[area].append((path.name, paragraph))
    print(f"ILACS reports: {reports}; numbered paragraphs: {paragraphs}")
    print(f"{'area':24} {'mention ¶':>9} {'reports':>7} {'substantial ¶':>13} {'reports':>7}")
    for area in CANDIDATES:
        print(
            f"{area:24} {mentions[area]:9} {len(mention_reports[area]):7} "
            f"{substantial[area]:13} {len(substantial_reports[area]):7}"
        )
    for area in CANDIDATES if options.samples else ():
        print(f"\n== {area}")
        for name, paragraph in random.Random(7).sample(found[area], options.samples):
            print(f"-- {name} ¶{paragraph.number}: {paragraph.text}")


if __name__ == "__main__":
    main()
