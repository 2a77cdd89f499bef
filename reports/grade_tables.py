"""Grades over time for one local authority, and the latest grades of every one."""

from collections import Counter
from dataclasses import dataclass, field

from judgements.models import OVERALL_AREAS, Grade, JudgementArea
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
SIF_CARE_LEAVERS = CORRESPONDENCE["care-leavers"]


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
    """[{area, before, now}] for the inspection page's "what changed", in the order of
    this report's own table of judgements (the page's table above it), then any area only
    the previous report judged. Across the change of framework a SIF judgement is set
    beside its ILACS counterpart (CORRESPONDENCE), and `before` is then the SIF judgement
    itself, whose area says what it judged."""
    before = {j.area.slug: j for j in previous.judgements.all()}
    now = {j.area.slug: j for j in inspection.judgements.all()}
    for old, new in [(before, now), (now, before)]:
        shown_in = counterpart_rows(set(new))
        for sif, ilacs in shown_in.items():
            if sif in old and ilacs not in old:
                old[ilacs] = old.pop(sif)
    notes = {}
    for old, new, side in [(before, now, "now"), (now, before, "before")]:
        # SIF judged care leavers on their own, and 2018 to 2022 together with children
        # in care: SIF's care leavers grade is set beside the joint one, saying so, not
        # shown as "not judged" (the joint row already holds SIF's children looked after).
        if JUDGED_TOGETHER in new and SIF_CARE_LEAVERS in old and "care-leavers" not in new:
            old["care-leavers"] = old.pop(SIF_CARE_LEAVERS)
            new["care-leavers"] = new[JUDGED_TOGETHER]
            notes[side, "care-leavers"] = WITH_THE_OTHER["care-leavers"]
    for old, new, side in [(before, now, "before"), (now, before, "now")]:
        # 2018 to 2022 judged children in care and care leavers together; since 2023 each
        # on its own: the joint grade is set beside each of the two, saying so (as the
        # council's page and the comparison do), so a change in either is seen.
        split = [slug for slug in WITH_THE_OTHER if slug in new and slug not in old]
        if JUDGED_TOGETHER in old and JUDGED_TOGETHER not in new and split:
            joint = old.pop(JUDGED_TOGETHER)
            for slug in split:
                old[slug] = joint
                notes[side, slug] = WITH_THE_OTHER[slug]
    result = []
    for slug in set(before) | set(now):
        judged = [j for j in (now.get(slug), before.get(slug)) if j is not None]
        # the row's own area, not the joint or SIF one set beside it
        area = next(
            (j.area for j in judged if j.area.slug == slug),
            next((j.area for j in judged if j.area.slug != JUDGED_TOGETHER), judged[0].area),
        )
        result.append(
            {
                "area": area,
                "before": before.get(slug),
                "now": now.get(slug),
                "before_note": notes.get(("before", slug), ""),
                "now_note": notes.get(("now", slug), ""),
                # what a side without this judgement says
                "missing": NO_OVERALL_GRADE if area.slug in OVERALL_AREAS else "not judged",
            }
        )

    def order(change):
        if change["now"] is not None:
            return (0, change["now"].table_position, change["area"].position)
        return (1, change["before"].table_position, change["area"].position)

    return sorted(result, key=order)


def column_label(inspection):
    label = f"{inspection.start_date:%B %Y}"
    if inspection.framework == Framework.SINGLE_INSPECTION:
        label += f": {SIF_LABEL}"
    return label


CHART_WIDTH, CHART_HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 190, 40, 20, 70  # room for the grade names and the dates
# Each series has its own colour, dash pattern and marker shape, so none is told apart by
# colour alone; series that share a grade at one date sit side by side, not on top. Eight:
# a council with ILACS and SIF reports has up to eight rows (the six ILACS judgements, then
# the SIF's adoption and LSCB ones); site.scss has a colour for each.
DASHES = ["", "10 5", "3 4", "14 4 3 4", "6 3", "1 4", "12 3 3 3 3 3", "4 2 1 2"]
SHAPES = [
    "circle", "square", "triangle", "diamond", "cross", "triangle-down",
    "triangle-right", "bowtie",
]  # fmt: skip
SPREAD = 14  # pixels between series at one date
# from each end of the axis to the middle of the first or last date: room for the markers
# of every series spread around it, clear of the grade names
EDGE = (len(SHAPES) - 1) / 2 * SPREAD + 8


def marker_path(shape, x, y, r=6):
    """An SVG path for a marker of `shape` centred on (x, y)."""
    if shape == "square":
        return f"M{x - r},{y - r}h{2 * r}v{2 * r}h{-2 * r}z"
    if shape == "triangle":
        return f"M{x},{y - r - 1}L{x + r + 1},{y + r}L{x - r - 1},{y + r}z"
    if shape == "triangle-down":
        return f"M{x},{y + r + 1}L{x + r + 1},{y - r}L{x - r - 1},{y - r}z"
    if shape == "triangle-right":
        return f"M{x - r},{y - r - 1}L{x + r + 1},{y}L{x - r},{y + r + 1}z"
    if shape == "bowtie":
        return f"M{x - r},{y - r}L{x + r},{y + r}V{y - r}L{x - r},{y + r}z"
    if shape == "diamond":
        return f"M{x},{y - r - 2}L{x + r + 2},{y}L{x},{y + r + 2}L{x - r - 2},{y}z"
    if shape == "cross":
        a = r / 2.5
        return (
            f"M{x - a},{y - r}h{2 * a}v{r - a}h{r - a}v{2 * a}h{a - r}v{r - a}h{-2 * a}"
            f"v{a - r}h{a - r}v{-2 * a}h{r - a}z"
        )
    return f"M{x - r},{y}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0z"


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
    notes: list = field(default_factory=list)  # (grade, column, note) per column
    points: str = ""  # SVG polyline points
    markers: list = field(default_factory=list)  # (path, label) of each grade, for the chart
    dash: str = ""
    series: int = 0
    legend_marker: str = ""
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
    slugs = {row.area.slug for row in rows}
    for number, row in enumerate(rows):
        row.cells = list(zip(row.grades, columns, strict=True))
        row.notes = [
            (grade, column, history_note(row.area.slug, column, slugs, areas))
            for grade, column in row.cells
        ]
        row.series = number % len(SHAPES)
        dx = (number - (len(rows) - 1) / 2) * SPREAD
        points = [
            (round(x_of(i, len(columns)) + dx, 1), round(y_of(grade), 1), grade, columns[i])
            for i, grade in enumerate(row.grades)
            if grade is not None
        ]
        row.points = " ".join(f"{x},{y}" for x, y, _, _ in points)
        row.markers = [
            (
                marker_path(SHAPES[row.series], x, y),
                f"{row.area.short_name}, {column.label}: {Grade(grade).label}",
            )
            for x, y, grade, column in points
        ]
        row.dash = DASHES[row.series]
        row.legend_marker = marker_path(SHAPES[row.series], 22, 8)
    return columns, rows


def history_note(slug, column, slugs, areas):
    """What a cell without a grade says: never "not judged" where the judgement was made
    under another name (children in care and care leavers together until 2023)."""
    held = {areas[pk].slug for pk in column.grades}
    if slug in WITH_THE_OTHER and JUDGED_TOGETHER in held:
        return WITH_THE_OTHER[slug] + " (one judgement)"
    if slug == JUDGED_TOGETHER and held & set(WITH_THE_OTHER):
        return "judged separately (rows below)"
    if column.inspection is None:
        return "not stated in the report"
    if slug in OVERALL_AREAS:
        return NO_OVERALL_GRADE
    return "not judged in this inspection"


#: What a report without an overall effectiveness grade shows in its place (the home
#: page says the same): Ofsted's reports from April 2026 grade each judgement but give
#: no overall grade, so "not judged" would read as something the inspectors left out.
NO_OVERALL_GRADE = "no overall grade"


def x_of(index, count):
    inner = CHART_WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + inner / 2
    return LEFT + EDGE + index * (inner - 2 * EDGE) / (count - 1)


def y_of(grade):
    """Outstanding at the top, inadequate at the bottom."""
    return TOP + 10 + (grade - 1) * (CHART_HEIGHT - TOP - BOTTOM - 20) / 3


def axis_label(column):
    """("2017", "as the 2020 report says") from "2017 (as the 2020 report says)", and
    ("May 2014", "SIF") from "May 2014: single inspection framework": under a date on the
    chart's axis the framework's name ran into the next date."""
    label, _, note = column.label.partition(" (")
    note = note.rstrip(")")
    label, sif, _ = label.partition(f": {SIF_LABEL}")
    if sif:
        note = f"SIF, {note}" if note else "SIF"
    return label, note


def chart_axes(columns):
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "bottom": CHART_HEIGHT - BOTTOM + 10,
        # "Requires improvement to be good" on two lines, to fit beside the axis
        "grades": [(grade.label.partition(" to be")[::2], y_of(grade)) for grade in Grade],
        "columns": [(*axis_label(c), x_of(i, len(columns))) for i, c in enumerate(columns)],
        "x_title_y": CHART_HEIGHT - 8,
        "y_title_x": 14,
        "middle_x": LEFT + (CHART_WIDTH - LEFT - RIGHT) / 2,
        "middle_y": TOP + (CHART_HEIGHT - TOP - BOTTOM) / 2,
    }


JUDGED_TOGETHER = "children-in-care-and-care-leavers"
#: What a cell says where the 2018 to 2022 framework judged both together in one grade.
WITH_THE_OTHER = {
    "children-in-care": "judged with care leavers",
    "care-leavers": "judged with children in care",
}


@dataclass
class Cell:
    """A comparison cell: the grade (or None) and what a reader must know to read it."""

    column: JudgementArea
    grade: Grade | None
    note: str = ""


@dataclass
class LatestRow:
    inspection: object
    grades: dict  # area slug -> Grade
    cells: list = field(default_factory=list)  # one Cell per column


def latest_grades(inspections, columns=None, grades=None):
    """One LatestRow per inspection. `grades` ({inspection id: {area slug: grade}}, from
    selectors.grades_by_inspection) saves prefetching the inspections' judgements."""
    rows = [
        LatestRow(
            inspection=inspection,
            grades=(
                {slug: Grade(grade) for slug, grade in grades.get(inspection.pk, {}).items()}
                if grades is not None
                else {j.area.slug: Grade(j.grade) for j in inspection.judgements.all()}
            ),
        )
        for inspection in inspections
    ]
    for row in rows:
        row.cells = [cell(row.grades, column) for column in columns or []]
    return rows


def cell(grades, column):
    if column.slug in grades:
        return Cell(column, grades[column.slug])
    if column.slug in WITH_THE_OTHER and JUDGED_TOGETHER in grades:
        return Cell(column, grades[JUDGED_TOGETHER], WITH_THE_OTHER[column.slug])
    if column.slug in OVERALL_AREAS:
        # reports from April 2026 give none: not a judgement the inspection skipped
        return Cell(column, None, NO_OVERALL_GRADE)
    return Cell(column, None, "not judged")


def comparison_columns(areas, used):
    """The judgement areas as the comparison's columns: children in care and care leavers
    each have their own (the 2018 to 2022 joint grade is shown in both, saying so), so the
    table has one column per judgement of today's framework and no column of blanks.
    `used` is the set of area slugs graded in any council's latest inspection."""
    separate = set(WITH_THE_OTHER)
    return [
        area
        for area in areas
        if area.slug != JUDGED_TOGETHER
        and (area.slug in used or (area.slug in separate and JUDGED_TOGETHER in used))
    ]


def distribution(rows, areas):
    """For each judgement area, how many local authorities' latest grade is each grade."""
    result = []
    for area in areas:
        counts = Counter(row.grades[area.slug] for row in rows if area.slug in row.grades)
        result.append({"area": area, **bar(counts)})
    return result


def bar(counts):
    """Counts per grade as the cells of a stacked bar: count, percent and offset."""
    total = sum(counts.values())
    cells, offset = [], 0.0
    for grade in Grade:
        percent = 100 * counts.get(grade, 0) / total if total else 0
        cells.append(
            {"grade": grade, "count": counts.get(grade, 0), "percent": percent, "offset": offset}
        )
        offset += percent
    return {"total": total, "grades": cells}


def distribution_by_year(counts, areas):
    """National grade distributions per judgement by year of inspection.

    `counts` are (area id, year, grade, count) rows; the result is one item per judgement
    area that has any, each with one stacked bar per year, oldest first."""
    by_area = {}
    for area_id, year, grade, count in counts:
        by_area.setdefault(area_id, {}).setdefault(year, Counter())[Grade(grade)] += count
    return [
        {
            "area": area,
            "years": [{"year": year, **bar(c)} for year, c in sorted(by_area[area.pk].items())],
        }
        for area in areas
        if area.pk in by_area
    ]
