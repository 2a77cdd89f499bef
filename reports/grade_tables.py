"""Grades over time for one local authority, and the latest grades of every one."""

from collections import Counter
from dataclasses import dataclass, field

from judgements.models import Grade, JudgementArea
from reports.models import Framework

#: Which single inspection framework (SIF, 2013-2018) judgement lines up with which ILACS
#: judgement where a page shows a council's grades over time: ILACS area slug -> SIF area
#: slug. The reasoning, and what has no counterpart (SIF's adoption performance and its
#: LSCB review), is docs/decisions/frameworks.md. A SIF grade shown in an ILACS row is
#: always labelled as the single inspection framework's.
CORRESPONDENCE = {
    "help-and-protection": "sif-help-and-protection",
    "children-in-care-and-care-leavers": "sif-children-looked-after",
    "children-in-care": "sif-children-looked-after",
    "care-leavers": "sif-care-leavers",
    "impact-of-leaders": "sif-leadership",
    "overall-effectiveness": "sif-overall",
}
SIF_LABEL = "single inspection framework"


def counterpart_rows(ilacs_slugs):
    """{SIF area slug: the ILACS area slug whose row shows it}, for the ILACS areas a page
    has rows for: each SIF area in one row only, the first (by CORRESPONDENCE's order)."""
    rows = {}
    for ilacs, sif in CORRESPONDENCE.items():
        if ilacs in ilacs_slugs:
            rows.setdefault(sif, ilacs)
    return rows


def held_counterpart(earlier, inspections):
    """The held judgement a later report's statement of an earlier grade (an EarlierGrade)
    is about: the same framework's inspection of that year, and its judgement of the same
    area (through CORRESPONDENCE when the statement names the ILACS area for a SIF grade,
    as Harrow's 2020 report's 'the 2017 single inspection' does). None if not held."""
    for inspection in inspections:
        if (
            inspection.framework == earlier.earlier_framework
            and inspection.start_date.year == earlier.earlier_year
        ):
            slug = earlier.area.slug
            if inspection.framework == Framework.SINGLE_INSPECTION:
                slug = CORRESPONDENCE.get(slug, slug)
            return next((j for j in inspection.judgements.all() if j.area.slug == slug), None)
    return None


def changes_between(previous, inspection):
    """[{area, before, now}] for the inspection page's "what changed". Across the change
    of framework a SIF judgement is set beside its ILACS counterpart (CORRESPONDENCE),
    and `before` is then the SIF judgement itself, whose area says what it judged."""
    before = {j.area.slug: j for j in previous.judgements.all()}
    now = {j.area.slug: j for j in inspection.judgements.all()}
    for old, new in [(before, now), (now, before)]:
        shown_in = counterpart_rows(set(new))
        for sif, ilacs in shown_in.items():
            if sif in old and ilacs not in old:
                old[ilacs] = old.pop(sif)
    result = []
    for slug in set(before) | set(now):
        area = (now.get(slug) or before.get(slug)).area
        result.append({"area": area, "before": before.get(slug), "now": now.get(slug)})
    return sorted(result, key=lambda change: change["area"].position)


def column_label(inspection):
    label = f"{inspection.start_date:%B %Y}"
    if inspection.framework == Framework.SINGLE_INSPECTION:
        label += f": {SIF_LABEL}"
    return label


CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 200, 40
# Lines are told apart by their dash pattern as well as the legend, not by colour alone.
DASHES = ["", "8 4", "2 4", "12 4 2 4", "4 4", "1 3"]


@dataclass
class Column:
    """One point in time: an inspection held here, or an earlier one a report mentions."""

    label: str
    inspection: object = None  # None for an earlier grade known only from a later report
    grades: dict = field(default_factory=dict)  # judgement area id -> grade
    framework: str = Framework.ILACS


@dataclass
class AreaRow:
    area: JudgementArea
    grades: list  # one Grade (or None) per column
    cells: list = field(default_factory=list)  # (grade or None, column) per column
    points: str = ""  # SVG polyline points
    markers: list = field(default_factory=list)  # (x, y) of each grade, for the chart
    dash: str = ""
    counterpart: JudgementArea | None = None  # the SIF area shown in this ILACS row


def grade_history(inspections):
    """Columns (oldest first) and one row per judgement area, for a table and a chart.

    `inspections` are one local authority's, oldest first, with judgements and earlier
    grades prefetched. An earlier grade that a report mentions becomes a column of its own
    when no inspection of that year is held.
    """
    held_years = {inspection.start_date.year for inspection in inspections}
    reported = {}
    for inspection in inspections:
        for earlier in inspection.earlier_grades.all():
            if earlier.earlier_year not in held_years:
                framework = f": {SIF_LABEL}" if earlier.earlier_framework == "sif" else ""
                label = (
                    f"{earlier.earlier_year}{framework} (as the {inspection.start_date:%Y} "
                    "report says)"
                )
                column = reported.setdefault(earlier.earlier_year, Column(label=label))
                column.grades[earlier.area_id] = Grade(earlier.grade)
    columns = [reported[year] for year in sorted(reported)]
    for inspection in inspections:
        columns.append(
            Column(
                label=column_label(inspection),
                inspection=inspection,
                grades={j.area_id: Grade(j.grade) for j in inspection.judgements.all()},
                framework=inspection.framework,
            )
        )
    areas = {}
    for inspection in inspections:
        for judgement in inspection.judgements.all():
            areas[judgement.area_id] = judgement.area
        for earlier in inspection.earlier_grades.all():
            areas[earlier.area_id] = earlier.area
    # A SIF area with an ILACS counterpart on the page is shown in that row, not its own.
    shown_in = counterpart_rows({area.slug for area in areas.values()})
    by_slug = {area.slug: area for area in areas.values()}
    rows = []
    for area in sorted(areas.values(), key=lambda area: area.position):
        if area.slug in shown_in:
            continue
        sif = by_slug.get(CORRESPONDENCE.get(area.slug, ""))
        if sif is not None and shown_in.get(sif.slug) != area.slug:
            sif = None
        grades = []
        for column in columns:
            grade = column.grades.get(area.pk)
            if sif is not None and column.framework == Framework.SINGLE_INSPECTION:
                grade = column.grades.get(sif.pk)
            grades.append(grade)
        rows.append(AreaRow(area=area, grades=grades, counterpart=sif))
    for number, row in enumerate(rows):
        row.cells = list(zip(row.grades, columns, strict=True))
        row.markers = markers(row.grades)
        row.points = " ".join(f"{x},{y}" for x, y in row.markers)
        row.dash = DASHES[number % len(DASHES)]
    return columns, rows


def x_of(index, count):
    if count == 1:
        return CHART_WIDTH / 2
    return MARGIN + index * (CHART_WIDTH - 2 * MARGIN) / (count - 1)


def y_of(grade):
    """Outstanding at the top, inadequate at the bottom."""
    return MARGIN / 2 + (grade - 1) * (CHART_HEIGHT - MARGIN) / 3


def markers(grades):
    return [
        (round(x_of(i, len(grades))), round(y_of(grade)))
        for i, grade in enumerate(grades)
        if grade is not None
    ]


def chart_axes(columns):
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "grades": [(grade.label, y_of(grade)) for grade in Grade],
        "columns": [(column.label, x_of(i, len(columns))) for i, column in enumerate(columns)],
    }


@dataclass
class LatestRow:
    inspection: object
    grades: dict  # area slug -> Grade


def latest_grades(inspections):
    return [
        LatestRow(
            inspection=inspection,
            grades={j.area.slug: Grade(j.grade) for j in inspection.judgements.all()},
        )
        for inspection in inspections
    ]


def distribution(rows, areas):
    """For each judgement area, how many local authorities' latest grade is each grade."""
    result = []
    for area in areas:
        counts = Counter(row.grades[area.slug] for row in rows if area.slug in row.grades)
        total = sum(counts.values())
        cells, offset = [], 0.0
        for grade in Grade:
            percent = 100 * counts.get(grade, 0) / total if total else 0
            cells.append(
                {
                    "grade": grade,
                    "count": counts.get(grade, 0),
                    "percent": percent,
                    "offset": offset,
                }
            )
            offset += percent
        result.append({"area": area, "total": total, "grades": cells})
    return result
