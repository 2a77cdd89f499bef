"""Facet counts, the summary of the filters applied and the plain-English description of
a filtered list of findings."""

from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from harrow_inspection import data_version
from judgements.filters import REGION_LABELS, REGIONS, FindingFilterSet
from judgements.models import OVERALL_EFFECTIVENESS, Finding, Grade, ServiceAreaTag

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
        rows = ServiceAreaTag.objects.all()
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
                inspection__judgements__area__slug=OVERALL_EFFECTIVENESS
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


def facets(data: QueryDict, filterset: FindingFilterSet, version=None) -> list[Facet]:
    """Every facet of the list `data` asks for, which `filterset` has validated, its
    chosen values first; `version` is `data_version.current()` if known."""
    result = []
    version = version or data_version.current()  # one look-up for every facet
    data = filterset.data  # with old parameter names renamed
    for parameter, (title, long) in FACETS.items():
        chosen = set(data.getlist(parameter))
        values = [
            FacetValue(
                slug=slug,
                name=name,
                count=count,
                selected=slug in chosen,
            )
            for slug, name, count in _values(data, filterset, parameter, version)
            if count or slug in chosen
        ]
        values.sort(key=lambda value: not value.selected)  # stable: chosen first
        result.append(Facet(parameter=parameter, title=title, values=values, long=long))
    return result


def applied(filterset: FindingFilterSet) -> list[Applied]:
    """Every value of every filter in force, in the order of the form, each with the
    query string that removes it (the page reset)."""
    data = filterset.data
    result = []
    if text := filterset.search_text:
        result.append(Applied("Search", f"‘{text}’", _without(data, "q", None)))
    for parameter in [*FACETS, "inspection"]:
        title = FACETS.get(parameter, ("Inspection",))[0]
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
        words.append("about " + _either(area.name[0].lower() + area.name[1:] for area in areas))
    if judgement_areas := data.get("judgement_area"):
        words.append("under " + _either(area.short_name.lower() for area in judgement_areas))
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
    if regions := data.get("region"):
        words.append("in " + _either(REGION_LABELS[slug] for slug in regions))
    if years := data.get("year"):
        words.append("inspected in " + _either(sorted(years)))
    if text := filterset.search_text:
        words.append(f"matching ‘{text}’")
    return " ".join(words)


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
