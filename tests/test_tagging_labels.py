"""The hand-labelled sets in fixtures/tagging/ (issue 15) point at real paragraphs and
improvement actions of the corpus PDFs they name, use only the taxonomy's slugs, and keep
the tune, test and holdout reports apart, so that a score measured on them means what it
says. The holdout (five reports labelled after the tagger was built) is read by the
scorer only when asked for by name, never by cross-validation or `--split all`.

They hold references only (file, SHA-256, number): the text is read from ../shared/corpus/
when a tagger is scored. See fixtures/tagging/README.md and docs/tagging-guide.md.
"""

import csv
import functools
import hashlib
import importlib
import sys
from pathlib import Path

import pytest

from tests.report_files import CORPUS, REPORTS, parsed_corpus

ROOT = Path(__file__).resolve().parent.parent

LABELS = ROOT / "fixtures" / "tagging"
SPLITS = {"tune", "test", "holdout"}
TAGS = LABELS / "service-area-labels.csv"
EVIDENCE = LABELS / "evidence-labels.csv"

#: Added from the corpus's volume (docs/decisions/service-area-taxonomy.md); the data
#: migration that creates them comes with the tagger.
NEW_AREAS = {
    "homeless-young-people",
    "young-carers",
    "unaccompanied-children",
    "participation",
    "corporate-parenting",
}


def rows(path):
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


@functools.cache
def index(folder):
    return {row["file"]: row["sha256"] for row in rows(folder / "INDEX.csv")}


def taxonomy():
    vocabulary = importlib.import_module(
        "judgements.migrations.0002_judgement_areas_and_service_areas"
    )
    return {slug for slug, _name, _description in vocabulary.SERVICE_AREAS} | NEW_AREAS


def reports_of(labelled):
    return sorted({row["file"] for row in labelled})


def test_the_files_hold_references_and_tags_only():
    assert list(rows(TAGS)[0]) == ["file", "sha256", "paragraph", "tags", "split"]
    assert list(rows(EVIDENCE)[0]) == ["file", "sha256", "action", "paragraphs", "split"]


@pytest.mark.parametrize("path", [TAGS, EVIDENCE], ids=["tags", "evidence"])
def test_every_file_is_the_corpus_pdf_its_checksum_names(path):
    for name in reports_of(rows(path)):
        recorded = {row["sha256"] for row in rows(path) if row["file"] == name}
        assert recorded == {index(CORPUS)[name]}, name
        assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == index(CORPUS)[name]


def test_every_tag_is_a_service_area_or_a_deliberate_none():
    slugs = taxonomy()
    for row in rows(TAGS):
        tags = row["tags"].split(";")
        assert tags == ["none"] or set(tags) <= slugs, row
        assert len(set(tags)) == len(tags) <= 3, row  # "usually one or two"


def test_every_labelled_paragraph_and_action_is_in_the_report():
    labelled = rows(TAGS) + rows(EVIDENCE)
    for name in reports_of(labelled):
        report = parsed_corpus(name)
        numbers = {paragraph.number for paragraph in report.paragraphs}
        actions = {action.position for action in report.actions}
        for row in rows(TAGS):
            if row["file"] == name:
                assert int(row["paragraph"]) in numbers, row
        for row in rows(EVIDENCE):
            if row["file"] == name:
                assert int(row["action"]) in actions, row
                assert {int(n) for n in row["paragraphs"].split(";")} <= numbers, row


def test_no_paragraph_or_action_is_labelled_twice():
    tags = [(row["file"], row["paragraph"]) for row in rows(TAGS)]
    evidence = [(row["file"], row["action"]) for row in rows(EVIDENCE)]
    assert len(tags) == len(set(tags))
    assert len(evidence) == len(set(evidence))


def test_the_split_is_by_report_and_the_same_in_both_files():
    split = {}
    for row in rows(TAGS) + rows(EVIDENCE):
        assert row["split"] in SPLITS, row
        assert split.setdefault(row["file"], row["split"]) == row["split"], row["file"]
    assert set(split.values()) == SPLITS
    # The test split is a fixed measure (before and after are given on the same split):
    # tune may grow, test keeps its seven reports and more than 200 paragraphs.
    assert list(split.values()).count("test") >= 7
    assert sum(row["split"] == "test" for row in rows(TAGS)) >= 200
    for part in SPLITS:  # every report of a split has both files' rows
        in_tags = {row["file"] for row in rows(TAGS) if row["split"] == part}
        in_evidence = {row["file"] for row in rows(EVIDENCE) if row["split"] == part}
        assert in_evidence <= in_tags, part


def test_none_of_the_reports_the_project_already_tunes_on():
    """../shared/reports/ is what the importer and the old rulebook were built on."""
    labelled = set(reports_of(rows(TAGS) + rows(EVIDENCE)))
    assert not labelled & set(index(REPORTS))
    assert not {index(CORPUS)[name] for name in labelled} & set(index(REPORTS).values())


def test_the_set_is_as_large_and_as_varied_as_the_issue_asks():
    tags, evidence = rows(TAGS), rows(EVIDENCE)
    assert len(tags) >= 400
    assert len(reports_of(tags)) >= 10
    assert len(evidence) >= 60
    reports = [parsed_corpus(name) for name in reports_of(tags)]
    assert {report.framework_version for report in reports} == {
        "ilacs-2018",
        "ilacs-2023",
        "ilacs-2026",
    }
    overall = {
        row.grade
        for report in reports
        for row in report.judgements
        if row.area_slug == "overall-effectiveness"
    }
    assert overall == {1, 2, 3, 4}  # outstanding to inadequate
    for part in ("tune", "test"):
        versions = {
            parsed_corpus(name).framework_version
            for name in reports_of(row for row in tags if row["split"] == part)
        }
        assert len(versions) == 3, part  # each split has every layout


def evenly_spaced(report, count=32):
    """The paragraph numbers the labelled sets sample from a report: `count` spread evenly
    from its first numbered paragraph to its last, whatever they are about."""
    numbers = [paragraph.number for paragraph in report.paragraphs]
    return {numbers[round(i * (len(numbers) - 1) / (count - 1))] for i in range(count)}


def test_the_holdout_is_fresh_varied_and_sampled_evenly():
    """Five reports of different councils, none of which the tagger was built with (in
    tune or test, or in ../shared/reports/): each layout and each overall grade, every
    paragraph the even sample's, and every improvement action linked."""
    tags = [row for row in rows(TAGS) if row["split"] == "holdout"]
    evidence = [row for row in rows(EVIDENCE) if row["split"] == "holdout"]
    holdout = reports_of(tags)
    assert len(holdout) >= 4
    built_on = {row["file"] for row in rows(TAGS) + rows(EVIDENCE) if row["split"] != "holdout"}
    councils = {name.split("-published-")[0] for name in holdout}
    assert len(councils) == len(holdout)
    assert not councils & {name.split("-published-")[0] for name in built_on}
    reports = {name: parsed_corpus(name) for name in holdout}
    assert {report.framework_version for report in reports.values()} == {
        "ilacs-2018",
        "ilacs-2023",
        "ilacs-2026",
    }
    assert {
        row.grade
        for report in reports.values()
        for row in report.judgements
        if row.area_slug == "overall-effectiveness"
    } == {1, 2, 3, 4}
    for name, report in reports.items():
        labelled = {int(row["paragraph"]) for row in tags if row["file"] == name}
        assert labelled == evenly_spaced(report), name  # not chosen by content
        linked = {int(row["action"]) for row in evidence if row["file"] == name}
        assert linked == {action.position for action in report.actions}, name


def test_the_scorer_reads_the_holdout_only_when_asked_for_by_name():
    """`--split test` is still the seven test reports, `--split all` and the
    cross-validation (which reads `tune`) never see a holdout row."""
    sys.path.insert(0, str(ROOT / "bench"))
    import score_tagger

    for path in (TAGS, EVIDENCE):
        every = rows(path)
        for split in ("tune", "test", "holdout"):
            read = score_tagger.read_labels(path, split)
            assert read == [row for row in every if row["split"] == split]
            assert read, split
        assert score_tagger.read_labels(path, "all") == [
            row for row in every if row["split"] != "holdout"
        ]
    assert len(reports_of(score_tagger.read_labels(TAGS, "test"))) == 7
    with pytest.raises(ValueError, match="unknown split"):
        score_tagger.read_labels(TAGS, "holdouts")


SECOND_TAGS = LABELS / "second-reader-labels.csv"
SECOND_EVIDENCE = LABELS / "second-reader-evidence.csv"


def test_the_second_readers_labels_are_the_first_labels_paragraphs_read_again():
    """The agreement study (bench/score_tagger.py --second-reader): a second reader labelled
    test and holdout paragraphs and actions blind to the first labels and to the tagger;
    each row must be one the first labels have, in the same split, with the same checksum,
    so that the two are compared on the same paragraphs."""
    slugs = taxonomy()
    for second, first, key in [
        (SECOND_TAGS, TAGS, "paragraph"),
        (SECOND_EVIDENCE, EVIDENCE, "action"),
    ]:
        firsts = {(row["file"], row[key]): row for row in rows(first)}
        seconds = rows(second)
        assert list(seconds[0]) == list(rows(first)[0])
        assert len(seconds) == len({(row["file"], row[key]) for row in seconds})
        for row in seconds:
            match = firsts[row["file"], row[key]]
            assert row["split"] == match["split"] in {"test", "holdout"}, row
            assert row["sha256"] == match["sha256"] == index(CORPUS)[row["file"]], row
            if key == "paragraph":
                tags = row["tags"].split(";")
                assert tags == ["none"] or set(tags) <= slugs, row
    assert len(rows(SECOND_TAGS)) >= 150 and len(rows(SECOND_EVIDENCE)) >= 30
