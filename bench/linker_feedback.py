"""Would the words of the best-matching paragraphs find the evidence the point's own
words miss? Pseudo-relevance feedback for the evidence linker, measured the way every
linker change is chosen: leave one of the tune split's reports out, refit the linker's
weights on the others, link the one left out, pool and score.

    .venv/bin/python bench/linker_feedback.py        # about 7 minutes on two cores

Two signals are tried beside the linker's own (judgements.tagging.evidence_features):

- `feedback`: the point's query widened with the most weighty words (TF-IDF; 12, and 6
  and 20 in two variants) of its best two paragraphs by BM25 (the best one in a third)
  that the point does not use; each paragraph's BM25 for those words, weighted by their
  TF-IDF (so a word's rarity counts twice, as in classic Rocchio feedback on BM25; or
  alike, in a fourth), as a share of the best paragraph's;
- `like best`: the cosine (TF-IDF) between a paragraph and the point's best paragraph.

Not kept (docs/decisions/automatic-tagging.md, "Evidence links"): both lowered the
cross-validated F1. Nothing here is used by the site.
"""

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import score_tagger  # bench/, beside this file; it puts the project on the path

from judgements import tagging


def with_feedback(actions, paragraphs, features, terms=12, top=2, alike=False):
    documents = [Counter(tagging.terms(p.text)) for p in paragraphs]
    idf = tagging._idf(documents)
    average = sum(sum(c.values()) for c in documents) / len(documents)
    vectors = []
    for counts in documents:
        weights = {t: (1 + math.log(f)) * idf[t] for t, f in counts.items()}
        size = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / size for t, w in weights.items()})
    numbers = [p.number for p in paragraphs]
    for action in actions:
        signals = features[action.position]
        own = set(tagging.terms(action.text))
        ranked = sorted(range(len(paragraphs)), key=lambda i: -signals[numbers[i]]["words"])
        widened = Counter()
        for i in ranked[:top]:
            widened.update({t: w for t, w in vectors[i].items() if t not in own})
        query = {t: 1.0 if alike else w for t, w in widened.most_common(terms)}
        matches = [tagging._bm25(query, c, sum(c.values()), average, idf) for c in documents]
        best = max(matches) or 1.0
        first = ranked[0]
        for i, number in enumerate(numbers):
            signals[number]["feedback"] = matches[i] / best
            signals[number]["like best"] = (
                1.0
                if i == first
                else sum(w * vectors[first].get(t, 0.0) for t, w in vectors[i].items())
            )
    return features


def cross_validated(reports, contexts, gold, extra, **options):
    features = {}
    for name, (paragraphs, actions) in contexts.items():
        found = with_feedback(
            actions, paragraphs, tagging.evidence_features(actions, paragraphs), **options
        )
        keep = set(tagging.EVIDENCE_WEIGHTS) | set(extra)
        features[name] = {
            position: {n: {k: v for k, v in s.items() if k in keep} for n, s in rows.items()}
            for position, rows in found.items()
        }
    given = {}
    for held_out in reports:
        training = {key: links for key, links in gold.items() if key[0] != held_out}
        weights = score_tagger.fit_linker(features, training)
        paragraphs, actions = contexts[held_out]
        linked = tagging.link_evidence(
            actions, paragraphs, weights=weights, features=features[held_out]
        )
        given.update({(held_out, position): set(ns) for position, ns in linked.items()})
    return score_tagger.link_scores(gold, given)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=score_tagger.ROOT.parent / "shared")
    parser.add_argument(
        "--evidence",
        type=Path,
        nargs="+",
        default=[score_tagger.ROOT / "fixtures" / "tagging" / "evidence-labels.csv"],
    )
    args = parser.parse_args()
    rows = score_tagger.read_evidence(args.evidence, "tune")
    files = {row["file"]: row["sha256"] for row in rows}
    reports = {n: score_tagger.parsed_report(args.reports, n, s) for n, s in sorted(files.items())}
    contexts = {name: score_tagger.report_context(r) for name, r in reports.items()}
    gold = score_tagger.read_links(rows)
    variants = [
        ("the linker as it is", [], {}),
        ("+ feedback", ["feedback"], {}),
        ("+ like best", ["like best"], {}),
        ("+ both", ["feedback", "like best"], {}),
        ("+ feedback, 6 words", ["feedback"], {"terms": 6}),
        ("+ feedback, 20 words", ["feedback"], {"terms": 20}),
        ("+ feedback, best paragraph only", ["feedback"], {"top": 1}),
        ("+ feedback, words weighted alike", ["feedback"], {"alike": True}),
    ]
    sys.stdout.write(f"{len(reports)} tune reports, {len(gold)} actions, leave one report out\n")
    for title, extra, options in variants:
        precision, recall, f1 = cross_validated(reports, contexts, gold, extra, **options)
        sys.stdout.write(f"{title:<34} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}\n")


if __name__ == "__main__":
    main()
