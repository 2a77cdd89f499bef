"""Synthetic inspections for load testing: made up, and marked as such everywhere.

`generate(councils=…, inspections=…, seed=…)` writes N made-up councils with M made-up
inspections each: grades drawn from a realistic distribution, ~30 findings per report
recombined from the sentences of the real Harrow report, service-area tags, improvement
actions with evidence. Every such inspection has `is_synthetic=True` (pages, the API and
the CSV say so) and every council's name starts with "Synthetic". `remove()` deletes
all of it and nothing else.

Rows are written with `bulk_create`, a few statements per table in batches, so:
- django-simple-history records nothing (it hooks `save()`, which bulk_create skips):
  made-up data needs no audit trail;
- the statement-level DataVersion trigger fires once per INSERT statement, not per row.
"""

import datetime
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from judgements.models import (
    ActionPlan,
    EarlierGrade,
    EvidenceLink,
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ProgressUpdate,
    ServiceArea,
    ServiceAreaTag,
)
from reports.models import Framework, ImportLog, Inspection, LocalAuthority, SummaryParagraph

SOURCE = Path(settings.BASE_DIR) / "fixtures" / "harrow-2020-02.json"
SLUG_PREFIX = "synthetic-"
BATCH = 5000
# Roughly how ILACS grades have fallen nationally.
GRADE_WEIGHTS = {
    Grade.OUTSTANDING: 15,
    Grade.GOOD: 45,
    Grade.REQUIRES_IMPROVEMENT: 30,
    Grade.INADEQUATE: 10,
}
# The sections findings stand in, in report order, and roughly how many of 30 each has.
SECTIONS = [
    ("help-and-protection", 0.40),
    ("children-in-care-and-care-leavers", 0.30),
    ("impact-of-leaders", 0.30),
]
OVERALL = "overall-effectiveness"


@dataclass(frozen=True)
class Source:
    sentences: list[str]
    actions: list[str]


def read_source():
    """The sentences of the Harrow report's findings, and its improvement actions."""
    objects = json.loads(SOURCE.read_text(encoding="utf-8"))
    sentences, actions = [], []
    for obj in objects:
        if obj["model"] in ("judgements.finding", "reports.summaryparagraph"):
            sentences += [
                s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", obj["fields"]["text"])
            ]
        elif obj["model"] == "judgements.improvementaction":
            actions.append(obj["fields"]["text"])
    return Source(sentences=[s for s in sentences if s], actions=actions)


def _grade(rng):
    return rng.choices(list(GRADE_WEIGHTS), weights=list(GRADE_WEIGHTS.values()))[0]


def _near(rng, grade):
    """A judgement's grade: usually the overall grade, sometimes one step either side."""
    step = rng.choices([-1, 0, 1], weights=[15, 70, 15])[0]
    return Grade(min(max(grade + step, Grade.OUTSTANDING), Grade.INADEQUATE))


@transaction.atomic
def generate(*, councils, inspections, findings_per_inspection=30, seed=0):
    """Write `councils` x `inspections` synthetic inspections; returns the counts written.

    The same seed on the same database gives the same data (names, dates, grades, text).
    """
    rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, not secrets
    source = read_source()
    areas = {area.slug: area for area in JudgementArea.objects.all()}
    service_areas = list(ServiceArea.objects.order_by("position", "pk"))
    first = LocalAuthority.objects.filter(slug__startswith=SLUG_PREFIX).count() + 1
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(name=f"Synthetic council {n:04d}", slug=f"{SLUG_PREFIX}council-{n:04d}")
        for n in range(first, first + councils)
    )

    new_inspections = []
    for authority in authorities:
        start = datetime.date(2018, 1, 8) + datetime.timedelta(days=rng.randrange(0, 60))
        for n in range(inspections):
            # A few weeks to a few months apart, like focused visits and full inspections.
            start += datetime.timedelta(days=rng.randrange(40, 200))
            new_inspections.append(
                Inspection(
                    local_authority=authority,
                    slug=f"{authority.slug}-{n + 1:03d}-{start:%Y-%m}",
                    framework=Framework.ILACS,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=4),
                    lead_inspector="Synthetic Inspector",
                    lead_inspector_title="Not a real inspector: synthetic data",
                    title="Synthetic inspection of children's social care services",
                    publisher="Nobody: synthetic data for load testing",
                    copyright_notice="Synthetic data, made up from sentences of a real report",
                    is_synthetic=True,
                )
            )
    Inspection.objects.bulk_create(new_inspections, batch_size=BATCH)

    judgements, paragraphs = [], []
    for inspection in new_inspections:
        overall = _grade(rng)
        for position, slug in enumerate([*(s for s, _ in SECTIONS), OVERALL], start=1):
            grade = overall if slug == OVERALL else _near(rng, overall)
            judgements.append(
                Judgement(
                    inspection=inspection, area=areas[slug], grade=grade, table_position=position
                )
            )
        paragraphs.append(
            SummaryParagraph(
                inspection=inspection,
                position=1,
                text=" ".join(rng.sample(source.sentences, 3)),
            )
        )
    Judgement.objects.bulk_create(judgements, batch_size=BATCH)
    SummaryParagraph.objects.bulk_create(paragraphs, batch_size=BATCH)
    by_inspection = {}
    for judgement in judgements:
        by_inspection.setdefault(judgement.inspection_id, {})[judgement.area.slug] = judgement

    findings = []
    for inspection in new_inspections:
        count = max(3, findings_per_inspection)
        number = 1
        for index, (slug, share) in enumerate(SECTIONS):
            size = count - number + 1 if index == len(SECTIONS) - 1 else round(count * share)
            for _ in range(size):
                text = " ".join(rng.sample(source.sentences, rng.randint(2, 5)))
                findings.append(
                    Finding(
                        inspection=inspection,
                        number=number,
                        judgement=by_inspection[inspection.pk][slug],
                        text=text,
                    )
                )
                number += 1
    Finding.objects.bulk_create(findings, batch_size=BATCH)

    tags = []
    for finding in findings:
        chosen = rng.sample(service_areas, rng.choices([1, 2, 3], weights=[45, 40, 15])[0])
        tags += [ServiceAreaTag(finding=finding, service_area=area) for area in chosen]
    ServiceAreaTag.objects.bulk_create(tags, batch_size=BATCH)

    actions, links = [], []
    per_inspection = {}
    for finding in findings:
        per_inspection.setdefault(finding.inspection_id, []).append(finding)
    for inspection in new_inspections:
        for position in range(1, rng.randint(2, 4) + 1):
            action = ImprovementAction(
                inspection=inspection, position=position, text=rng.choice(source.actions)
            )
            actions.append(action)
            evidence = rng.sample(per_inspection[inspection.pk], rng.randint(1, 3))
            links += [EvidenceLink(action=action, finding=finding) for finding in evidence]
    ImprovementAction.objects.bulk_create(actions, batch_size=BATCH)
    EvidenceLink.objects.bulk_create(links, batch_size=BATCH)

    counts = {
        "local authorities": len(authorities),
        "inspections": len(new_inspections),
        "judgements": len(judgements),
        "findings": len(findings),
        "service-area tags": len(tags),
        "improvement actions": len(actions),
        "evidence links": len(links),
    }
    return counts


@transaction.atomic
def remove():
    """Delete every synthetic inspection, what hangs off it, and the synthetic councils.

    Plain DELETE statements (no per-row signals, so no history rows for made-up data);
    real reports are untouched. Returns the number of inspections removed.
    """
    synthetic = Inspection.objects.filter(is_synthetic=True)
    ids = list(synthetic.values_list("pk", flat=True))
    if not ids:
        return 0
    for queryset in [
        ProgressUpdate.objects.filter(plan__action__inspection__in=ids),
        ActionPlan.objects.filter(action__inspection__in=ids),
        EvidenceLink.objects.filter(action__inspection__in=ids),
        ServiceAreaTag.objects.filter(finding__inspection__in=ids),
        ImprovementAction.objects.filter(inspection__in=ids),
        Finding.objects.filter(inspection__in=ids),
        EarlierGrade.objects.filter(inspection__in=ids),
        Judgement.objects.filter(inspection__in=ids),
        SummaryParagraph.objects.filter(inspection__in=ids),
    ]:
        queryset._raw_delete(queryset.db)
    EarlierGrade.objects.filter(earlier_inspection__in=ids).update(earlier_inspection=None)
    ImportLog.objects.filter(inspection__in=ids).update(inspection=None)
    synthetic._raw_delete(synthetic.db)
    councils = LocalAuthority.objects.filter(
        slug__startswith=SLUG_PREFIX, name__startswith="Synthetic", inspections__isnull=True
    )
    councils._raw_delete(councils.db)
    return len(ids)
