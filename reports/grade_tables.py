"""Grades over time for one local authority, and the latest grades of every one."""

from collections import Counter
from dataclasses import dataclass, field

from judgements.models import Grade, JudgementArea

CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 200, 40
# Lines are told apart by their dash pattern as well as the legend, not by colour alone.
DASHES = ["", "8 4", "2 4", "12 4 2 4", "4 4", "1 3"]


@dataclass
class Column:
    """One point in time: an inspection held here, or an earlier one a report mentions."""

    label: str
    inspection: object = None  # None for an earlier grade known only from a later report
    grades: dict = field(default_factory=dict)  # judgement area id -> grade


@dataclass
class AreaRow:
    area: JudgementArea
    grades: list  # one Grade (or None) per column
    cells: list = field(default_factory=list)  # (grade or None, column) per column
    points: str = ""  # SVG polyline points
    markers: list = field(default_factory=list)  # (x, y) of each grade, for the chart
    dash: str = ""


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
                label = f"{earlier.earlier_year} (as the {inspection.start_date:%Y} report says)"
                column = reported.setdefault(earlier.earlier_year, Column(label=label))
                column.grades[earlier.area_id] = Grade(earlier.grade)
    columns = [reported[year] for year in sorted(reported)]
    for inspection in inspections:
        columns.append(
            Column(
                label=f"{inspection.start_date:%B %Y}",
                inspection=inspection,
                grades={j.area_id: Grade(j.grade) for j in inspection.judgements.all()},
            )
        )
    areas = {}
    for inspection in inspections:
        for judgement in inspection.judgements.all():
            areas[judgement.area_id] = judgement.area
        for earlier in inspection.earlier_grades.all():
            areas[earlier.area_id] = earlier.area
    rows = [
        AreaRow(area=area, grades=[column.grades.get(area.pk) for column in columns])
        for area in sorted(areas.values(), key=lambda area: area.position)
    ]
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
