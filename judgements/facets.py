"""Facet counts, the summary of the filters applied and the plain-English description of
a filtered list of findings."""

from dataclasses import dataclass
from html import escape as html_escape

from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.utils.safestring import mark_safe

from harrow_inspection import data_version
from judgements import word_changes
from judgements.filters import FRAMEWORK_WORDS, REGION_LABELS, REGIONS, FindingFilterSet
from judgements.models import OVERALL_AREAS, Finding, Grade
from reports.models import Inspection

REGION_SLUGS = {code: slug for slug, code in REGIONS.items()}


@dataclass(frozen=True)
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    parameter: str
    title: str
    values: list[FacetValue]
    long: bool = False  # shown in a scrolling box

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


def checkboxes(facet: Facet) -> str:
    """The HTML of a facet's checkboxes as the filter panel's template wrote them (a
    facet of every council is 150 of them: in the template, most of the panel's time).
    `html.escape` is what Django's `escape` does, without its lazy-string wrapper."""
    parameter = html_escape(facet.parameter)
    out = []
    for value in facet.values:
        slug = html_escape(value.slug)
        checked = " checked" if value.selected else ""
        out.append(
            '\n            <div class="govuk-checkboxes__item">\n'
            f'              <input class="govuk-checkboxes__input" id="{parameter}-{slug}" '
            f'name="{parameter}" type="checkbox" value="{slug}"{checked}>\n'
            f'              <label class="govuk-label govuk-checkboxes__label" '
            f'for="{parameter}-{slug}">{html_escape(value.name)} <span class="app-facet__count">'
            f'({value.count:,}<span class="govuk-visually-hidden"> findings</span>)</span>'
            "</label>\n"
            "            </div>\n            "
        )
    if not out:
        out.append('\n            <p class="govuk-body-s">None in these results</p>\n            ')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@dataclass(frozen=True)
class Applied:
    """One value of one filter in force, with the query string that removes it."""

    title: str
    name: str
    remove_query: str


# facet parameter: (title, long list)
FACETS = {
    "local_authority": ("Council", True),
    "region": ("Region", False),
    "overall_grade": ("Overall grade of the inspection", False),
    "judgement_grade": ("Grade of the judgement this paragraph is under", False),
    "judgement_area": ("Judgement area", False),
    "service_area": ("Service area", False),
    "year": ("Year of inspection", False),
    "latest": ("Inspections", False),
}


def _values(data: QueryDict, filterset: FindingFilterSet, parameter: str, version):
    """(slug, name, findings) for every value of one facet, under every other filter in
    `data`: one query, remembered until the data changes.

    The facet's own filter is left out, so each count says how many findings that value
    would give with the other filters as they are. The filterset is already validated, so
    its cleaned values are reused rather than checked again (which would cost queries).
    """
    others = filterset.data.copy()
    others.pop(parameter, None)
    for ignored in ("page", "sort"):
        others.pop(ignored, None)
    key = f"facet:{parameter}:{sorted((k, sorted(others.getlist(k))) for k in others)}"
    return data_version.cached(key, lambda: _count(filterset, parameter), version=version)


# The facets that group findings by a column of the finding or of a row it points to: when
# their own filter is not chosen, their "other filters" are the same (all of them), so
# they are counted together, in one scan of the findings with GROUPING SETS, instead of one
# scan each (at 100k findings 0.5 s of first request became a fifth of it).
TOGETHER = {
    "local_authority": ["la.slug", "la.name"],
    "region": ["la.region"],
    "overall_grade": ["oj.grade"],
    "judgement_grade": ["j.grade"],
    "judgement_area": ["ja.slug", "ja.short_name", "ja.position"],
    "year": ["EXTRACT(YEAR FROM f.listed_date)::int"],
}


def _count_together(filterset: FindingFilterSet, parameters: list[str], also=(), count=None):
    """({parameter: [(slug, name, count)]} for facets none of which is chosen, in one
    query, ordered as _count orders them; the data version they are of, or None). `also`
    may name "service_area" and "latest" (not chosen either, so counted under the same
    filters): for a filtered list they are counted in the same statement, one round trip
    and one query built instead of three, and that statement also reads the data version
    (its number and Unix time) in its snapshot, so that a search's facets can follow an
    edit of the words (`facets`). `count`, the number of findings in the list if known,
    decides how (_count_with_others)."""
    findings, filtered = _others(filterset, None)
    columns = [column for parameter in parameters for column in TOGETHER[parameter]]
    grouping = [f"GROUPING({TOGETHER[parameter][0]})" for parameter in parameters]
    sets = ", ".join(f"({', '.join(TOGETHER[parameter])})" for parameter in parameters)
    params = []
    overall = ""
    if "overall_grade" in parameters:
        overall = (
            "LEFT JOIN judgements_judgement oj ON oj.inspection_id = f.inspection_id "
            "AND oj.area_id IN (SELECT id FROM judgements_judgementarea WHERE slug = ANY(%s))"
        )
        params.append(list(OVERALL_AREAS))
    also = [parameter for parameter in also if filtered]
    where, subquery, subquery_params = "", "", []
    if filtered:
        subquery, subquery_params = findings.values("pk").query.sql_with_params()
        source = "SELECT id FROM matched" if also else subquery
        where = f"WHERE f.id IN ({source})"
    selected = [*columns, *grouping, "COUNT(*)"]
    sql = f"""
        SELECT {", ".join(f"{expression} AS c{i}" for i, expression in enumerate(selected))}
        FROM judgements_finding f
        JOIN reports_inspection i ON i.id = f.inspection_id
        JOIN reports_localauthority la ON la.id = i.local_authority_id
        JOIN judgements_judgement j ON j.id = f.judgement_id
        JOIN judgements_judgementarea ja ON ja.id = j.area_id
        {overall}
        {where}
        GROUP BY GROUPING SETS ({sets})
    """  # noqa: S608 - every name above is this module's; values are parameters
    extra, base = {}, None
    if also:
        rows, extra, base = _count_with_others(
            filterset, (subquery, subquery_params), (sql, params, len(selected)), also, count
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *subquery_params])
            rows = cursor.fetchall()
    counted = {parameter: [] for parameter in parameters}
    order = list(REGIONS)
    for row in rows:
        values = dict(zip(columns, row, strict=False))
        flags = row[len(columns) : len(columns) + len(parameters)]
        parameter = parameters[list(flags).index(0)]
        count = row[-1]
        if parameter == "local_authority":
            slug, name = values["la.slug"], values["la.name"]
            counted[parameter].append(((0, name), slug, name, count))
        elif parameter == "region":
            if (slug := REGION_SLUGS.get(values["la.region"])) is not None:
                counted[parameter].append(
                    ((order.index(slug), ""), slug, REGION_LABELS[slug], count)
                )
        elif parameter in ("overall_grade", "judgement_grade"):
            number = values["oj.grade" if parameter == "overall_grade" else "j.grade"]
            if number is not None:
                grade = Grade(number)
                counted[parameter].append(((number, ""), grade.slug, grade.label, count))
        elif parameter == "judgement_area":
            slug, name, position = (values[f"ja.{c}"] for c in ("slug", "short_name", "position"))
            counted[parameter].append(((position, ""), slug, name, count))
        else:
            year = values[TOGETHER["year"][0]]
            if year is not None:
                counted[parameter].append(((-year, ""), str(year), str(year), count))
    counted.update(extra)
    return {
        parameter: [(slug, name, count) for _, slug, name, count in sorted(values)]
        for parameter, values in counted.items()
    }, base


#: the most findings whose ids _count_with_others finds once and keeps for its three parts
MATERIALIZE_UP_TO = 5000


def _count_with_others(filterset, matched, grouped, also, count=None):
    """The rows of the GROUPING SETS query `grouped` (its SQL, parameters and number of
    columns, reading the filtered findings from `matched`), the counts of `also`
    ({parameter: [(sort key, slug, name, count)]}, as _count makes them) and the data
    version they are of ((number, Unix time), or None for an empty database or a
    transaction that has written), in one statement, each part's rows as one JSON array.

    `matched` (the filtered findings' subquery and its parameters) is found once and kept
    (MATERIALIZED) when the list is known to hold at most MATERIALIZE_UP_TO findings: the
    three parts then read the few matches instead of searching the index three times
    (never-asked words on the real corpus: 22 → 15 ms for 46 matches, 65 → 44 ms for 1,529).
    Otherwise it is NOT MATERIALIZED, so that each part plans it with its own estimate of
    how many findings match: materialized, PostgreSQL guesses 200 and walked 23,000
    matches of a common word by index, one by one (0.9 s instead of 0.35)."""
    subquery, subquery_params = matched
    sql, params, width = grouped
    names = ", ".join(f"c{i}" for i in range(width))
    # every name below is this module's, every value a parameter
    parts = [f"(SELECT json_agg(json_build_array({names})) FROM ({sql}) grouped)"]  # noqa: S608
    if "service_area" in also:
        confirmed = "AND t.confirmed" if filterset.confirmed_only else ""
        parts.append(
            "(SELECT json_agg(json_build_array(a.slug, a.name, a.position, c.n)) FROM "  # noqa: S608
            "(SELECT t.service_area_id, COUNT(*) AS n FROM judgements_serviceareatag t "
            f"WHERE t.finding_id IN (SELECT id FROM matched) {confirmed} "
            "GROUP BY t.service_area_id) c "
            "JOIN judgements_servicearea a ON a.id = c.service_area_id)"
        )
    latest_params = []
    if "latest" in also:
        latest = Inspection.objects.latest_per_local_authority().values("pk")
        latest_sql, latest_params = latest.query.sql_with_params()
        parts.append(
            "(SELECT COUNT(*) FROM judgements_finding f WHERE f.id IN (SELECT id FROM matched) "  # noqa: S608
            f"AND f.inspection_id IN ({latest_sql}))"
        )
    # and the data version, in the same snapshot: what the counts are of
    counter = data_version.version_model()._meta.db_table
    parts.append(f'(SELECT version FROM "{counter}" WHERE id = 1)')  # noqa: S608
    parts.append(f'(SELECT extract(epoch FROM changed_at) FROM "{counter}" WHERE id = 1)')  # noqa: S608
    kept = "" if count is not None and count <= MATERIALIZE_UP_TO else "NOT "
    statement = f"WITH matched (id) AS {kept}MATERIALIZED ({subquery}) SELECT {', '.join(parts)}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [*subquery_params, *params, *latest_params])
        answer = list(cursor.fetchone())
    version = answer[-2]
    base = None if version is None or data_version.has_written(connection) else tuple(answer[-2:])
    rows = [tuple(row) for row in answer.pop(0) or []]
    extra = {}
    if "service_area" in also:
        extra["service_area"] = [
            ((position, ""), slug, name, count)
            for slug, name, position, count in answer.pop(0) or []
        ]
    if "latest" in also:
        extra["latest"] = [((0, ""), "yes", "Latest inspection only", answer.pop(0))]
    return rows, extra, base


# Below this many findings in the list, each facet's own query is quicker than the scan of
# every finding that GROUPING SETS makes (32 findings of London: 90 ms one by one, 190 ms
# together at 100k; 14,000 of 2020: 300 ms one by one, 170 ms together). A text search is
# counted together whatever its size: its findings come from the search index, not a scan
# (never-asked words on the real corpus, p50 of ten: 62-65 ms one by one, 46-50 together).
TOGETHER_FROM = 2000


def _data_key(data: QueryDict) -> str:
    return str(sorted((k, sorted(data.getlist(k))) for k in data if k not in ("page", "sort")))


def _others(filterset: FindingFilterSet, parameter: str):
    """The findings under every filter but `parameter`'s, from the list's own validated
    values (so no slug is looked up twice), and whether any filter applied."""
    findings, filtered = Finding.objects.order_by(), False
    for name, value in filterset.form.cleaned_data.items():
        if name not in (parameter, "sort") and filterset.data.getlist(name):
            findings, filtered = filterset.filters[name].filter(findings, value), True
    return findings, filtered


def _grouped(rows, key):
    """[(value, count)] of `rows` grouped by `key` (a field path or an annotation), in
    one query."""
    return list(
        rows.order_by().values_list(key).annotate(count=Count("pk")).values_list(key, "count")
    )


def _labelled(rows, path, label):
    """(sort key, slug, name, count) of a vocabulary's values, grouped in one query."""
    fields = [f"{path}slug", f"{path}{label}", f"{path}position"]
    grouped = rows.order_by().values_list(*fields).annotate(count=Count("pk"))
    return [((position, ""), slug, name, count) for slug, name, position, count in grouped]


def _count(filterset: FindingFilterSet, parameter: str) -> list[tuple[str, str, int]]:
    """The values that occur and their counts, in one grouped query: service areas count
    their tags (one per finding and area, so no DISTINCT), every other facet its findings.
    No filter multiplies rows (service areas and overall grades are EXISTS).

    The filtered findings are a top-level `IN (subquery)`, which PostgreSQL runs as a
    semi-join. (As `COUNT(…) FILTER (WHERE finding_id IN (subquery))` it became a SubPlan
    run once per tag when the matches outgrew work_mem: ten minutes for a common word
    at 1M findings.) A chosen value with no findings is added with 0, so the reader can
    still remove it. Values come as (sort key, slug, name, count).
    """
    findings, filtered = _others(filterset, parameter)
    if parameter == "service_area":
        rows = filterset.tags()
        if filtered:
            rows = rows.filter(finding__in=findings.values("pk"))
        counted = _labelled(rows, "service_area__", "name")
    elif parameter == "judgement_area":
        counted = _labelled(findings, "judgement__area__", "short_name")
    elif parameter == "local_authority":
        rows = findings.values_list(
            "inspection__local_authority__slug", "inspection__local_authority__name"
        ).annotate(count=Count("pk"))
        counted = [((0, name), slug, name, count) for slug, name, count in rows.order_by()]
    elif parameter == "region":
        order = list(REGIONS)
        counted = [
            (
                (order.index(REGION_SLUGS[code]),),
                REGION_SLUGS[code],
                REGION_LABELS[REGION_SLUGS[code]],
                count,
            )
            for code, count in _grouped(findings, "inspection__local_authority__region")
            if code in REGION_SLUGS
        ]
    elif parameter in ("overall_grade", "judgement_grade"):
        if parameter == "overall_grade":
            # joined to the inspection's overall judgement (one per inspection, by a
            # constraint), which PostgreSQL hashes: a subquery per finding would be run
            # once for each of 100,000
            findings = findings.filter(
                inspection__judgements__area__slug__in=OVERALL_AREAS
            ).annotate(facet_grade=F("inspection__judgements__grade"))
        else:
            findings = findings.annotate(facet_grade=F("judgement__grade"))
        counted = [
            ((number, ""), Grade(number).slug, Grade(number).label, count)
            for number, count in _grouped(findings, "facet_grade")
            if number is not None
        ]
    elif parameter == "year":
        rows = findings.annotate(facet_year=ExtractYear("listed_date"))
        counted = [
            ((-year, ""), str(year), str(year), count)
            for year, count in _grouped(rows, "facet_year")
            if year is not None
        ]
    else:  # latest: one count
        count = filterset.filters["latest"].filter(findings, "yes").count()
        counted = [((0, ""), "yes", "Latest inspection only", count)]
    found = {slug for _, slug, _, _ in counted}
    for chosen in filterset.data.getlist(parameter):  # found none
        if chosen not in found:
            counted.append(((-1, ""), chosen, label_of(filterset, parameter, chosen), 0))
    return [(slug, name, count) for _, slug, name, count in sorted(counted)]


def label_of(filterset: FindingFilterSet, parameter: str, slug: str) -> str:
    """The name a value of a filter is shown by."""
    field = filterset.form.fields[parameter]
    if parameter == "neighbours_of":
        chosen = filterset.form.cleaned_data.get(parameter)
        return str(chosen) if chosen is not None and chosen.slug == slug else slug
    if parameter in ("local_authority", "inspection", "service_area", "judgement_area"):
        for chosen in filterset.form.cleaned_data.get(parameter) or []:
            if chosen.slug == slug:
                if parameter == "judgement_area":
                    return chosen.short_name
                if parameter == "service_area":
                    return chosen.name
                return str(chosen)
        return slug
    return dict(field.choices).get(slug, slug)


def facets(data: QueryDict, filterset: FindingFilterSet, version=None, count=None) -> list[Facet]:
    """Every facet of the list `data` asks for, which `filterset` has validated, its
    chosen values first; `version` is `data_version.current()` if known, `count` the
    number of findings in the list if known (it decides how the facets are counted)."""
    result = []
    version = version or data_version.current()  # one look-up for every facet
    data = filterset.data  # with old parameter names renamed
    together = [parameter for parameter in TOGETHER if not data.getlist(parameter)]
    # a search's service areas and latest count too, with the others (_count_together)
    also = [p for p in ("service_area", "latest") if filterset.search_text and not data.getlist(p)]
    counted = {}
    if len(together) > 1 and (count is None or count >= TOGETHER_FROM or filterset.search_text):
        counted, _ = data_version.cached(
            f"facets-with-version:{[*together, *also]}:{_data_key(data)}",
            lambda: _count_together(filterset, together, also, count),
            version=version,
            follow=(lambda earlier: _follow(filterset, earlier)) if also else None,
        )
    for parameter, (title, long) in FACETS.items():
        chosen = set(data.getlist(parameter))
        values = [
            FacetValue(
                slug=slug,
                name=name,
                count=count,
                selected=slug in chosen,
            )
            for slug, name, count in (
                counted[parameter]
                if parameter in counted
                else _values(data, filterset, parameter, version)
            )
            if count or slug in chosen
        ]
        values.sort(key=lambda value: not value.selected)  # stable: chosen first
        result.append(Facet(parameter=parameter, title=title, values=values, long=long))
    return result


def _follow(filterset: FindingFilterSet, earlier):
    """A text search's facets after an edit of the words, from `earlier` (the latest
    counted, with the data version they are of: `_count_together`): the same counts, if
    the edit has brought no paragraph into the search or taken one out of it and nothing
    else has changed (judgements/word_changes.py, `same_matches`), else None (counted
    again). So an edit that leaves a search's matches as they were (most edits, for any
    one search) leaves its facets to be shown at once, and not counted again over every
    match in the background: a second over the 813,000 matches of "children" at 1M."""
    if not isinstance(earlier, tuple) or len(earlier) != 2 or earlier[1] is None:
        return None
    findings, _ = _others(filterset, None)
    sql, params = findings.values("pk").query.sql_with_params()
    now = word_changes.same_matches(sql, params, earlier[1], connection)
    return None if now is None else (earlier[0], now)


def applied(filterset: FindingFilterSet) -> list[Applied]:
    """Every value of every filter in force, in the order of the form, each with the
    query string that removes it (the page reset)."""
    data = filterset.data
    result = []
    if text := filterset.search_text:
        result.append(Applied("Search", f"‘{text}’", _without(data, "q", None)))
    others = {  # filters without a facet
        "neighbours_of": "Statistical neighbours of",
        "inspection": "Inspection",
        "framework": "Framework",
    }
    for parameter in [*FACETS, *others]:
        title = FACETS[parameter][0] if parameter in FACETS else others[parameter]
        for slug in data.getlist(parameter):
            result.append(
                Applied(
                    title, label_of(filterset, parameter, slug), _without(data, parameter, slug)
                )
            )
    return result


def _without(data: QueryDict, parameter: str, value) -> str:
    """The query string without `value` of `parameter` (or any, for None), page reset."""
    query = data.copy()
    query.pop("page", None)
    values = query.pop(parameter, [])
    if value is not None:
        query.setlist(parameter, [v for v in values if v != value])
    return query.urlencode()


def describe(filterset: FindingFilterSet, count: int) -> str:
    """A sentence saying what is shown, e.g. "12 findings about care leavers matching
    'pathway'"."""
    data = filterset.form.cleaned_data
    words = [f"{count:,} finding" if count == 1 else f"{count:,} findings"]
    if areas := data.get("service_area"):
        words.append("about " + _either(in_a_sentence(area.name) for area in areas))
    if judgement_areas := data.get("judgement_area"):
        # first letter only: "care leavers (SIF)", not "(sif)"
        words.append("under " + _either(in_a_sentence(area.short_name) for area in judgement_areas))
    if grades := data.get("judgement_grade"):
        labels = dict(filterset.filters["judgement_grade"].extra["choices"])
        words.append("in judgements graded " + _either(labels[g].lower() for g in grades))
    if grades := data.get("overall_grade"):
        labels = dict(filterset.filters["overall_grade"].extra["choices"])
        words.append(
            "in inspections graded " + _either(labels[g].lower() for g in grades) + " overall"
        )
    if data.get("latest"):
        words.append("(latest inspections only)")
    if inspections := data.get("inspection"):
        words.append("in " + _either(str(inspection) for inspection in inspections))
    if authorities := data.get("local_authority"):
        words.append("in " + _either(str(authority) for authority in authorities))
    if centre := data.get("neighbours_of"):
        words.append(f"in {centre} or its statistical neighbours")
    if regions := data.get("region"):
        words.append("in " + _either(REGION_LABELS[slug] for slug in regions))
    if years := data.get("year"):
        words.append("inspected in " + _either(sorted(years)))
    if frameworks := data.get("framework"):
        words.append("in " + _either(FRAMEWORK_WORDS[f] for f in frameworks))
    if text := filterset.search_text:
        words.append(f"matching ‘{text}’")
    if data.get("confirmed"):
        words.append("(service areas checked by staff only)")
    return " ".join(words)


def in_a_sentence(name: str) -> str:
    """A name inside a sentence: "care leavers (SIF)"; a proper name ("Local
    Safeguarding Children Board (SIF)") as it is."""
    words = name.split()
    if len(words) > 1 and words[1][:1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
