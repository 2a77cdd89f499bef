"""Measure the service-area tagger and the evidence linker against the labelled sets.

    .venv/bin/python bench/score_tagger.py [--split test|tune|holdout|all]
        [--tagger structured|rulebook]
        [--labels fixtures/tagging/service-area-labels.csv [more.csv ...]]
        [--evidence fixtures/tagging/evidence-labels.csv [more.csv ...]] [--reports ../shared]
        [--errors]
    .venv/bin/python bench/score_tagger.py --cross-validate [--model]
    .venv/bin/python bench/score_tagger.py --second-reader

Each label names a report by file name and SHA-256 and a paragraph by its number; the
paragraphs themselves are read from the PDFs under --reports (corpus/ and reports/), with
the importer's own parser, and a file whose SHA-256 differs is refused (the labels were
made on another version of it). Parses are kept in bench/.work/parsed/ by SHA-256.

`--tagger rulebook` is the keyword rulebook the importer used before (migration 0006's
TAGGING_RULES, one regular expression per service area, every match a tag): the "before"
figure. `--tagger structured` is judgements.tagging.tag_report, the tagger the importer
uses now. Prints micro and macro precision, recall and F1, one line per service area, and
the share of labelled paragraphs given no service area; then the same for evidence links
(per improvement action: the paragraphs linked). `--labels` and `--evidence` take several
files (labels made in batches, with the fixture's columns), read together, so that a new
batch can be scored on its own before anything is tuned on it. `--errors` lists every
paragraph whose tags differ, by reference (file, number), for tuning on the tune split.

The splits (fixtures/tagging/README.md): `tune` to tune on, `test` to measure on, and
`holdout`, five reports labelled after the tagger was built, to measure on once more.
`--split all` is tune and test together: the holdout is read only when named, so that no
tuning run (`--split all --errors`) shows its paragraphs.

`--cross-validate` chooses between variants without the test split: each of the tune
split's reports is left out in turn, whatever learns from labels (a scikit-learn model's
vote with `--model`, the linker's weights and likelihood threshold) is fitted on the
others, and the pooled held-out predictions are scored (docs/decisions/automatic-tagging.md
has the figures). For the linker, two rows: "linker fitted" refits its weights and picks
its likelihood threshold on the others; "weights fitted" refits the weights only and
keeps judgements.tagging's thresholds (what it ships: its honest figure). Then the
linker's weights fitted on all of them are printed, to paste into judgements/tagging.py.

`--evidence` takes several files (the same columns as evidence-labels.csv): their rows
are read together, so that newly labelled reports can be scored on their own (name only
their file) or added to the fixtures' (name both). A report with evidence labels and no
service-area labels is linked and scored for its links only: the linker needs only its
paragraphs.
"""

import argparse
import csv
import hashlib
import importlib
import importlib.util
import math
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from judgements import tagging  # noqa: E402
from reports.importing.parse import parse_report  # noqa: E402 - no database needed

WORK = ROOT / "bench" / ".work" / "parsed"


def find_report(folder, name):
    for sub in ("corpus", "reports", ""):
        path = Path(folder) / sub / name
        if path.is_file():
            return path
    raise SystemExit(f"{name} is not under {folder}/corpus or {folder}/reports")


def parsed_report(folder, name, sha256):
    path = find_report(folder, name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(
            f"{path}: SHA-256 {digest} is not the label's {sha256}: the labels were made on "
            "another version of this file"
        )
    WORK.mkdir(parents=True, exist_ok=True)
    cached = WORK / f"{sha256}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())  # noqa: S301 - written by this script
    report = parse_report(path)
    cached.write_bytes(pickle.dumps(report))
    return report


SPLITS = ("tune", "test", "holdout")
#: What `--split all` means: every split the tagger was built with, never the holdout.
ALL = ("tune", "test")


def read_labels(paths, split):
    """The label rows (dicts of the CSV's columns) of `split`: one of SPLITS, or "all" for
    tune and test (the holdout only when asked for by name). `paths`: one CSV or several
    (labels made in batches by several readers), read in turn; a row repeated in a later
    file is read once."""
    if split not in (*SPLITS, "all"):
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)} or all")
    wanted = ALL if split == "all" else (split,)
    rows, seen = [], set()
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        with open(path, newline="", encoding="utf-8") as file:
            for row in csv.DictReader(file):
                key = tuple(row.values())
                if row["split"] in wanted and key not in seen:
                    seen.add(key)
                    rows.append(row)
    return rows


def read_evidence(paths, split):
    """The evidence label rows of `split` from every file of `paths` that exists, an action
    labelled in two files once (and refused if the two differ)."""
    rows = {}
    for path in paths:
        if Path(path).exists():
            for row in read_labels(path, split):
                key = (row["file"], row["action"])
                if key in rows and rows[key]["paragraphs"] != row["paragraphs"]:
                    raise SystemExit(f"{key} is labelled twice, differently, in {paths}")
                rows.setdefault(key, row)
    return list(rows.values())


def old_rulebook():
    rules = importlib.import_module(
        "judgements.migrations.0006_separate_care_judgements_and_tagging_rulebook"
    ).TAGGING_RULES
    return tagging.compile_rules(
        [(slug, pattern) for slug, patterns in rules.items() for pattern in patterns]
    )


def report_context(report):
    paragraphs = [tagging.ReportParagraph(p.number, p.area_slug, p.text) for p in report.paragraphs]
    actions = [tagging.ReportAction(a.position, tagging.action_text(a)) for a in report.actions]
    return paragraphs, actions


def predict_tags(reports, tagger):
    """{(file, number): set of slugs} for every paragraph of every report."""
    rulebook = old_rulebook() if tagger == "rulebook" else None
    predicted = {}
    for name, report in reports.items():
        paragraphs, actions = report_context(report)
        if rulebook is not None:
            for paragraph in paragraphs:
                predicted[name, paragraph.number] = tagging.suggest(paragraph.text, rulebook)
        else:
            for number, slugs in tagging.tag_report(paragraphs, actions).items():
                predicted[name, number] = slugs
    return predicted


def print_scores(title, scores, stdout=sys.stdout):
    write = stdout.write
    write(f"\n{title}\n")
    write(f"{'':<28} {'labels':>6} {'given':>6} {'both':>5} {'P':>5} {'R':>5} {'F1':>5}\n")
    for row in scores.rows:
        write(
            f"{row.name[:28]:<28} {row.gold:>6} {row.predicted:>6} {row.both:>5} "
            f"{fmt(row.precision)} {fmt(row.recall)} {fmt(row.f1)}\n"
        )
    micro = scores.micro
    write(
        f"{'micro':<28} {micro.gold:>6} {micro.predicted:>6} {micro.both:>5} "
        f"{fmt(micro.precision)} {fmt(micro.recall)} {fmt(micro.f1)}\n"
    )
    write(
        f"{'macro (areas with labels)':<28} {'':>6} {'':>6} {'':>5} "
        f"{fmt(scores.macro_precision)} {fmt(scores.macro_recall)} {fmt(scores.macro_f1)}\n"
    )


def fmt(value):
    return "    -" if value is None else f"{value:5.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split",
        default="test",
        choices=[*SPLITS, "all"],
        help="tune, test, holdout, or all (tune and test; never the holdout)",
    )
    parser.add_argument("--tagger", default="structured", choices=["structured", "rulebook"])
    parser.add_argument(
        "--labels",
        nargs="+",
        default=[ROOT / "fixtures/tagging/service-area-labels.csv"],
        help="one or more service-area label CSVs (the fixture's columns), read together",
    )
    parser.add_argument(
        "--evidence",
        nargs="+",
        default=[ROOT / "fixtures/tagging/evidence-labels.csv"],
        help="one or more evidence-link label CSVs, read together",
    )
    parser.add_argument("--reports", default=ROOT.parent / "shared")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="Instead: leave-one-report-out cross-validation over the tune split's reports, "
        "for the tagger and for each variant that learns from labels (trained on the other "
        "reports, measured on the one left out). Never reads the test or holdout splits.",
    )
    parser.add_argument(
        "--model",
        action="store_true",
        help="With --cross-validate: the scikit-learn model variants too (scikit-learn is "
        "not a dependency: pip install scikit-learn==1.9.1 first).",
    )
    parser.add_argument(
        "--second-reader",
        action="store_true",
        help="Instead: how far a second reader, labelling the test and holdout paragraphs "
        "blind to the first labels and to the tagger, agrees with the first "
        "(fixtures/tagging/second-reader-*.csv), beside the tagger against each reader.",
    )
    parser.add_argument(
        "--corpus",
        action="store_true",
        help="Instead: tag every ILACS report under --reports/corpus and say how many tags "
        "a paragraph gets (the figures in the README).",
    )
    args = parser.parse_args()
    if args.corpus:
        return corpus_figures(Path(args.reports) / "corpus")
    if args.cross_validate:
        return cross_validate(args)
    if args.second_reader:
        return second_reader(args)

    rows = read_labels(args.labels, args.split)
    evidence_rows = read_evidence(args.evidence, args.split)
    files = {row["file"]: row["sha256"] for row in [*rows, *evidence_rows]}
    reports = {name: parsed_report(args.reports, name, sha) for name, sha in sorted(files.items())}

    gold = {(row["file"], int(row["paragraph"])): tagging.split_tags(row["tags"]) for row in rows}
    missing = [key for key in gold if key[1] not in {p.number for p in reports[key[0]].paragraphs}]
    if missing:
        raise SystemExit(f"labelled paragraphs the parser does not find: {missing}")
    predicted = predict_tags(reports, args.tagger)
    chosen = {key: predicted.get(key, set()) for key in gold}
    scores = tagging.score(gold, chosen)
    sys.stdout.write(
        f"Service-area tags, {args.tagger} tagger, split {args.split}: {len(gold)} paragraphs "
        f"from {len({k[0] for k in gold})} reports\n"
    )
    print_scores("Per service area", scores)
    untagged = sum(1 for key in gold if not (chosen[key] - {tagging.NONE}))
    sys.stdout.write(
        f"\nParagraphs with no service area: {untagged} of {len(gold)} "
        f"({untagged / len(gold):.0%})\n"
    )
    every = sum(len(r.paragraphs) for r in reports.values())
    bare = sum(1 for slugs in predicted.values() if not slugs)
    sys.stdout.write(f"Every paragraph of these reports with no service area: {bare} of {every}\n")
    if args.errors:
        sys.stdout.write("\nDifferences (file, paragraph: labels / given)\n")
        for key in sorted(gold):
            if gold[key] != chosen[key]:
                sys.stdout.write(
                    f"{key[0]} {key[1]} [{area_of(reports[key[0]], key[1])}]: "
                    f"{';'.join(sorted(gold[key]))} / {';'.join(sorted(chosen[key]))}\n"
                )

    if evidence_rows:
        score_evidence(evidence_rows, reports, args)


def corpus_figures(folder):
    from collections import Counter

    from reports.importing.result import ReportParseError

    per_paragraph, areas, reports = Counter(), Counter(), 0
    for path in sorted(folder.glob("*.pdf")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            report = parsed_report(folder.parent, path.name, digest)
        except ReportParseError:
            continue  # SIF and 2013-framework reports: not imported
        reports += 1
        paragraphs, actions = report_context(report)
        for slugs in tagging.tag_report(paragraphs, actions).values():
            per_paragraph[len(slugs)] += 1
            areas.update(slugs)
    total = sum(per_paragraph.values())
    tags = sum(n * count for n, count in per_paragraph.items())
    sys.stdout.write(
        f"{reports} ILACS reports, {total} paragraphs, {tags} tags: "
        f"{tags / total:.2f} per paragraph\n"
    )
    for n in sorted(per_paragraph):
        sys.stdout.write(f"  {n} tag(s): {per_paragraph[n]} ({per_paragraph[n] / total:.0%})\n")
    for slug, count in areas.most_common():
        sys.stdout.write(f"  {slug:<28} {count:>6} ({count / total:.1%} of paragraphs)\n")


VARIANTS = {
    "rules": None,
    "rules + model vote 0.5": (0.5, 0.0),
    "rules + model (p-0.5) x 1": (1.0, 0.5),
    "rules + model (p-0.5) x 2": (2.0, 0.5),
    "rules + model (p-0.5) x 3": (3.0, 0.5),
}


def cross_validate(args):
    """Leave one tune report out at a time: train on the others (for the variants
    that learn), tag the one left out; pool the held-out predictions and score them."""
    if args.model and importlib.util.find_spec("sklearn") is None:
        raise SystemExit("--model needs scikit-learn: .venv/bin/pip install scikit-learn==1.9.1")
    rows = read_labels(args.labels, "tune")
    evidence_rows = read_evidence(args.evidence, "tune")
    files = {row["file"]: row["sha256"] for row in [*rows, *evidence_rows]}
    reports = {name: parsed_report(args.reports, name, sha) for name, sha in sorted(files.items())}
    gold = {(row["file"], int(row["paragraph"])): tagging.split_tags(row["tags"]) for row in rows}
    gold_links = read_links(evidence_rows)
    sys.stdout.write(
        f"Leave-one-report-out over the tune split: {len(reports)} reports, {len(gold)} "
        f"labelled paragraphs, {len(gold_links)} actions\n\n"
        f"{'variant':<28} {'P':>5} {'R':>5} {'F1':>5} {'macro':>5} | links {'P':>5} {'R':>5} "
        f"{'F1':>5}\n"
    )
    for variant, weight in VARIANTS.items():
        if weight is not None and not args.model:
            continue
        tags_given, links_given = {}, {}
        for held_out in reports:
            vote = None
            if weight is not None:
                training = [
                    (paragraph_of(reports[name], number), slugs)
                    for (name, number), slugs in gold.items()
                    if name != held_out
                ]
                vote = ModelVote(training, weight)
            paragraphs, actions = report_context(reports[held_out])
            tags = tagging.tag_report(paragraphs, actions, vote=vote)
            for number, slugs in tags.items():
                tags_given[held_out, number] = slugs
            for position, numbers in tagging.link_evidence(actions, paragraphs).items():
                links_given[held_out, position] = set(numbers)
        scores = tagging.score(gold, {key: tags_given.get(key, set()) for key in gold})
        link_p, link_r, link_f = link_scores(gold_links, links_given)
        micro = scores.micro
        sys.stdout.write(
            f"{variant:<28} {fmt(micro.precision)} {fmt(micro.recall)} {fmt(micro.f1)} "
            f"{fmt(scores.macro_f1)} |       {fmt(link_p)} {fmt(link_r)} {fmt(link_f)}\n"
        )
    # The linker's weights (and its threshold), fitted on the other reports' labels.
    contexts = {name: report_context(report) for name, report in reports.items()}
    features = {
        name: tagging.evidence_features(actions, paragraphs)
        for name, (paragraphs, actions) in contexts.items()
    }
    links_given, links_fixed = {}, {}
    for held_out in reports:
        training = {key: value for key, value in gold_links.items() if key[0] != held_out}
        weights = fit_linker(features, training)
        paragraphs, actions = contexts[held_out]

        def given_with(likely, weights=weights, held_out=held_out, training=training):
            given = {}
            for name in reports:
                if name != held_out:
                    paragraphs, actions = contexts[name]
                    found = tagging.link_evidence(
                        actions,
                        paragraphs,
                        likely=likely,
                        weights=weights,
                        features=features[name],
                    )
                    given.update({(name, pos): set(ns) for pos, ns in found.items()})
            return link_scores(training, given)[2] or 0.0

        likely = max((r / 20 for r in range(4, 13)), key=given_with)
        found = tagging.link_evidence(
            actions, paragraphs, likely=likely, weights=weights, features=features[held_out]
        )
        links_given.update({(held_out, pos): set(ns) for pos, ns in found.items()})
        found = tagging.link_evidence(
            actions, paragraphs, weights=weights, features=features[held_out]
        )
        links_fixed.update({(held_out, pos): set(ns) for pos, ns in found.items()})
        sys.stdout.write(f"  {held_out}: fitted linker, threshold {likely:.2f}\n")
    link_p, link_r, link_f = link_scores(gold_links, links_given)
    sys.stdout.write(
        f"{'rules, linker fitted':<28} {'':>5} {'':>5} {'':>5} {'':>5} |       "
        f"{fmt(link_p)} {fmt(link_r)} {fmt(link_f)}\n"
    )
    # The weights refitted, the thresholds judgements.tagging's: what it ships.
    link_p, link_r, link_f = link_scores(gold_links, links_fixed)
    sys.stdout.write(
        f"{'rules, weights fitted':<28} {'':>5} {'':>5} {'':>5} {'':>5} |       "
        f"{fmt(link_p)} {fmt(link_r)} {fmt(link_f)}\n"
    )
    weights = fit_linker(features, gold_links)
    sys.stdout.write(
        "\nThe linker fitted on all of them (judgements.tagging EVIDENCE_BIAS, EVIDENCE_WEIGHTS):\n"
        f"EVIDENCE_BIAS = {weights[0]:.2f}\nEVIDENCE_WEIGHTS = {{\n"
        + "".join(f'    "{name}": {value:.2f},\n' for name, value in weights[1].items())
        + "}\n"
    )


def fit_linker(features, gold_links, l2=1.0):
    """(bias, {signal: weight}): a logistic regression of "hand-linked" on the linker's
    signals over every (action, paragraph) pair of the labelled actions in `gold_links`,
    by Newton's method on standardised signals with an L2 penalty of `l2`, returned in
    the signals' own units. Pure Python: the linker must not need numpy."""
    rows, labels = [], []
    for (name, position), numbers in gold_links.items():
        for number, signals in features[name].get(position, {}).items():
            rows.append(signals)
            labels.append(1.0 if number in numbers else 0.0)
    names = list(rows[0])
    means = [sum(r[n] for r in rows) / len(rows) for n in names]
    spreads = [
        (sum((r[n] - m) ** 2 for r in rows) / len(rows)) ** 0.5 or 1.0
        for n, m in zip(names, means, strict=True)
    ]
    x = [
        [1.0] + [(r[n] - m) / s for n, m, s in zip(names, means, spreads, strict=True)]
        for r in rows
    ]
    size = len(names) + 1
    w = [0.0] * size
    for _ in range(30):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for row, label in zip(x, labels, strict=True):
            p = 1 / (
                1
                + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, row, strict=True)))))
            )
            for i in range(size):
                gradient[i] += (p - label) * row[i]
                for j in range(size):
                    hessian[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(1, size):
            gradient[i] += l2 * w[i]
            hessian[i][i] += l2
        step = solve(hessian, gradient)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(v) for v in step) < 1e-7:
            break
    weights = {n: w[i + 1] / s for i, (n, s) in enumerate(zip(names, spreads, strict=True))}
    bias = w[0] - sum(weights[n] * m for n, m in zip(names, means, strict=True))
    return bias, weights


def solve(matrix, vector):
    """x with matrix @ x = vector (Gaussian elimination with partial pivoting)."""
    size = len(vector)
    rows = [[*list(row), value] for row, value in zip(matrix, vector, strict=True)]
    for c in range(size):
        pivot = max(range(c, size), key=lambda r: abs(rows[r][c]))
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for r in range(size):
            if r != c and rows[r][c]:
                factor = rows[r][c] / rows[c][c]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[c], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def paragraph_of(report, number):
    paragraph = next(p for p in report.paragraphs if p.number == number)
    return tagging.ReportParagraph(paragraph.number, paragraph.area_slug, paragraph.text)


def read_links(rows):
    """{(file, action position): {paragraph numbers}} from evidence-label rows."""
    return {
        (row["file"], int(row["action"])): {
            int(n) for n in row["paragraphs"].split(";") if n.strip()
        }
        for row in rows
    }


def link_pairs(gold, predicted):
    """The (action, paragraph) links labelled and given, over the labelled actions."""
    pairs_gold = {(key, n) for key, numbers in gold.items() for n in numbers}
    pairs_given = {(key, n) for key in gold for n in predicted.get(key, set())}
    return pairs_gold, pairs_given


def link_scores(gold, predicted):
    pairs_gold, pairs_given = link_pairs(gold, predicted)
    both = len(pairs_gold & pairs_given)
    precision = both / len(pairs_given) if pairs_given else None
    recall = both / len(pairs_gold) if pairs_gold else None
    return precision, recall, tagging.harmonic(precision, recall)


class ModelVote:
    """A scikit-learn logistic regression per service area over the paragraph's words
    (TF-IDF, one and two words), its section and the rules' cue scores, trained on
    labelled paragraphs; its probability times `weight` is added to the area's score."""

    def __init__(self, training, weight_and_centre):
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.hstack = hstack
        self.weight, self.centre = weight_and_centre
        self.areas = sorted(tagging.CUES)
        self.sections = sorted({p.section for p, _ in training})
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        self.words.fit([p.text for p, _ in training])
        features = self.features([(p, tagging.area_scores(p)) for p, _ in training])
        self.models = {}
        for area in self.areas:
            labels = [area in slugs for _, slugs in training]
            if sum(labels) >= 2:
                model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
                self.models[area] = model.fit(features, labels)

    def features(self, items):
        from scipy.sparse import csr_matrix

        cues = csr_matrix(
            [
                [totals.get(area, 0.0) for area in self.areas]
                + [float(p.section == section) for section in self.sections]
                for p, totals in items
            ]
        )
        return self.hstack([self.words.transform([p.text for p, _ in items]), cues]).tocsr()

    def __call__(self, paragraph, totals):
        row = self.features([(paragraph, totals)])
        return {
            area: self.weight * (model.predict_proba(row)[0, 1] - self.centre)
            for area, model in self.models.items()
        }


def area_of(report, number):
    return next(p.area_slug for p in report.paragraphs if p.number == number)


def predict_links(reports, tagger):
    """{(file, action position): set of paragraph numbers} for every report."""
    predicted = {}
    for name, report in reports.items():
        paragraphs, actions = report_context(report)
        if tagger == "rulebook":
            links = tagging.overlap_links(actions, paragraphs)
        else:
            links = tagging.link_evidence(actions, paragraphs)
        for position, numbers in links.items():
            predicted[name, position] = set(numbers)
    return predicted


SECOND_READER = ROOT / "fixtures/tagging/second-reader-labels.csv"
SECOND_READER_EVIDENCE = ROOT / "fixtures/tagging/second-reader-evidence.csv"


def second_reader(args):
    """Agreement of two readers on the same paragraphs and actions, split by split, and
    the tagger's figures against each. F1 between two readers is the same whichever is
    taken as the reference (precision and recall swap)."""
    out = sys.stdout.write
    for split in ("test", "holdout"):
        second = read_labels(SECOND_READER, split)
        if not second:
            continue
        first = {
            (row["file"], int(row["paragraph"])): tagging.split_tags(row["tags"])
            for row in read_labels(args.labels, split)
        }
        other = {(r["file"], int(r["paragraph"])): tagging.split_tags(r["tags"]) for r in second}
        unknown = sorted(set(other) - set(first))
        if unknown:
            raise SystemExit(f"second-reader paragraphs the first labels lack: {unknown[:5]}")
        first = {key: first[key] for key in other}
        files = {row["file"]: row["sha256"] for row in second}
        reports = {n: parsed_report(args.reports, n, sha) for n, sha in sorted(files.items())}
        predicted = predict_tags(reports, args.tagger)
        tagger = {key: predicted.get(key, set()) for key in other}
        readers = tagging.score(first, other)
        against = {"first": tagging.score(first, tagger), "second": tagging.score(other, tagger)}
        same = sum(1 for key in other if first[key] == other[key])
        out(
            f"\nSplit {split}: {len(other)} paragraphs of {len(files)} reports labelled by both "
            f"readers; the same tags exactly on {same} ({same / len(other):.0%})\n"
        )
        out(f"{'':34} {'P':>5} {'R':>5} {'F1':>5} {'macro':>5}\n")
        rows = [
            ("second reader against the first", readers),
            ("tagger against the first reader", against["first"]),
            ("tagger against the second reader", against["second"]),
        ]
        for title, scores in rows:
            m = scores.micro
            out(
                f"{title:34} {fmt(m.precision)} {fmt(m.recall)} {fmt(m.f1)} "
                f"{fmt(scores.macro_f1)}\n"
            )
        print_scores("Per service area, second reader against the first", readers)

        evidence = read_labels(SECOND_READER_EVIDENCE, split)
        if evidence:
            other_links = read_links(evidence)
            first_links = {
                key: numbers
                for key, numbers in read_links(read_evidence(args.evidence, split)).items()
                if key in other_links
            }
            names = {key[0] for key in other_links}
            for name in names - set(reports):
                sha = next(r["sha256"] for r in evidence if r["file"] == name)
                reports[name] = parsed_report(args.reports, name, sha)
            given = predict_links({n: reports[n] for n in names}, args.tagger)
            out(f"\nEvidence links, {len(other_links)} actions labelled by both readers\n")
            for title, gold, chosen in [
                ("second reader against the first", first_links, other_links),
                ("linker against the first reader", first_links, given),
                ("linker against the second reader", other_links, given),
            ]:
                precision, recall, f1 = link_scores(gold, chosen)
                out(f"{title:34} {fmt(precision)} {fmt(recall)} {fmt(f1)}\n")


def score_evidence(rows, reports, args):
    gold = read_links(rows)
    unknown = [
        (name, position, sorted(numbers - {p.number for p in reports[name].paragraphs}))
        for (name, position), numbers in gold.items()
        if position not in {a.position for a in reports[name].actions}
        or numbers - {p.number for p in reports[name].paragraphs}
    ]
    if unknown:
        raise SystemExit(f"labelled actions or paragraphs the parser does not find: {unknown}")
    predicted = predict_links(
        {name: reports[name] for name in {key[0] for key in gold}}, args.tagger
    )
    pairs_gold, pairs_given = link_pairs(gold, predicted)
    both = len(pairs_gold & pairs_given)
    precision, recall, f1 = link_scores(gold, predicted)
    method = "word overlap" if args.tagger == "rulebook" else "structured linker"
    sys.stdout.write(
        f"\nEvidence links, {method}, split {args.split}: {len(gold)} improvement actions, "
        f"{len(pairs_gold)} labelled links, {len(pairs_given)} given, {both} in both: "
        f"P {fmt(precision)} R {fmt(recall)} F1 {fmt(f1)}\n"
    )
    without = sum(1 for key in gold if not predicted.get(key))
    sys.stdout.write(f"Improvement actions given no evidence: {without} of {len(gold)}\n")
    if args.errors:
        for key in sorted(gold):
            given = predicted.get(key, set())
            if given != gold[key]:
                sys.stdout.write(
                    f"{key[0]} action {key[1]}: {sorted(gold[key])} / {sorted(given)}\n"
                )


if __name__ == "__main__":
    main()
