"""Facet counts and the plain-English description of a filtered list of findings."""

from dataclasses import dataclass

from django.db.models import Count
from django.http import QueryDict

from harrow_inspection import data_version
from judgements.filters import FindingFilterSet
from judgements.models import Finding, ServiceAreaTag


@dataclass(frozen=True)
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool
    toggle_query: str  # the query string with this value added or removed


@dataclass(frozen=True)
class Facet:
    parameter: str
    title: str
    values: list[FacetValue]


def toggled(data: QueryDict, parameter: str, value: str) -> str:
    """The query string with `value` added to or removed from `parameter`, page reset."""
    query = data.copy()
    query.pop("page", None)
    values = query.getlist(parameter)
    query.setlist(
        parameter, [v for v in values if v != value] if value in values else [*values, value]
    )
    return query.urlencode()


def _values(
    data: QueryDict, filterset: FindingFilterSet, parameter: str, version
) -> list[tuple[str, str, int]]:
    """(slug, name, findings) for every value of one facet, under every other filter in
    `data`: one query, remembered until the data changes.

    The facet's own filter is left out, so each count says how many findings that value
    would give with the other filters as they are. The filterset is already validated, so
    its cleaned values are reused rather than checked again (which would cost queries).
    """
    others = data.copy()
    others.pop(parameter, None)
    others.pop("page", None)
    key = f"facet:{parameter}:{sorted((k, sorted(others.getlist(k))) for k in others)}"
    return data_version.cached(key, lambda: _count(filterset, parameter), version=version)


# facet parameter: (title, the field of the vocabulary that labels a value)
FACETS = {
    "service_area": ("Service area", "name"),
    "judgement_area": ("Judgement area", "short_name"),
}


def _count(filterset: FindingFilterSet, parameter: str) -> list[tuple[str, str, int]]:
    """The values that occur and their counts, in one grouped query: service areas count
    their tags (one per finding and area, so no DISTINCT), judgement areas their
    findings. The other filters are applied from the list's own validated values, so no
    slug is looked up twice; they never multiply rows (service areas are an EXISTS).

    The filtered findings are a top-level `IN (subquery)`, which PostgreSQL runs as a
    semi-join. (As `COUNT(…) FILTER (WHERE finding_id IN (subquery))` it became a SubPlan
    run once per tag when the matches outgrew work_mem: ten minutes for a common word
    at 1M findings.) A chosen value with no findings is added with 0, from the filter's
    own instances, so the reader can still remove it.
    """
    _, label = FACETS[parameter]
    findings, filtered = Finding.objects.order_by(), False
    for name, value in filterset.form.cleaned_data.items():
        if name != parameter and filterset.data.getlist(name):
            findings, filtered = filterset.filters[name].filter(findings, value), True
    if parameter == "service_area":
        rows, path = ServiceAreaTag.objects.all(), "service_area"
        if filtered:
            rows = rows.filter(finding__in=findings.values("pk"))
    else:
        rows, path = findings, "judgement__area"
    fields = [f"{path}__{field}" for field in ("slug", label, "position")]
    counted = {
        slug: (position, name, count)
        for slug, name, position, count in rows.order_by()
        .values_list(*fields)
        .annotate(count=Count("pk"))
        .values_list(*fields, "count")
    }
    for chosen in filterset.form.cleaned_data.get(parameter) or []:  # found none
        counted.setdefault(chosen.slug, (chosen.position, getattr(chosen, label), 0))
    ordered = sorted(counted.items(), key=lambda item: (item[1][0], item[1][1]))
    return [(slug, name, count) for slug, (_, name, count) in ordered]


def facets(data: QueryDict, filterset: FindingFilterSet, version=None) -> list[Facet]:
    """The service-area and judgement-area facets for the list `data` asks for, which
    `filterset` has validated; `version` is `data_version.current()` if known."""
    result = []
    version = version or data_version.current()  # one look-up for both facets
    for parameter, (title, _) in FACETS.items():
        chosen = set(data.getlist(parameter))
        values = [
            FacetValue(
                slug=slug,
                name=name,
                count=count,
                selected=slug in chosen,
                toggle_query=toggled(data, parameter, slug),
            )
            for slug, name, count in _values(data, filterset, parameter, version)
            if count or slug in chosen
        ]
        result.append(Facet(parameter=parameter, title=title, values=values))
    return result


def describe(filterset: FindingFilterSet, count: int) -> str:
    """A sentence saying what is shown, e.g. "12 findings about care leavers matching
    'pathway'"."""
    data = filterset.form.cleaned_data
    words = [f"{count:,} finding" if count == 1 else f"{count:,} findings"]
    if areas := data.get("service_area"):
        words.append("about " + _either(area.name[0].lower() + area.name[1:] for area in areas))
    if judgement_areas := data.get("judgement_area"):
        words.append("under " + _either(area.short_name.lower() for area in judgement_areas))
    if grades := data.get("grade"):
        labels = dict(filterset.filters["grade"].extra["choices"])
        words.append("in judgements graded " + _either(labels[g].lower() for g in grades))
    if inspections := data.get("inspection"):
        words.append("in " + _either(str(inspection) for inspection in inspections))
    if authorities := data.get("local_authority"):
        words.append("in " + _either(str(authority) for authority in authorities))
    if frameworks := data.get("framework"):
        labels = dict(filterset.filters["framework"].extra["choices"])
        words.append("in reports of " + _either(labels[f] for f in frameworks))
    if text := filterset.search_text:
        words.append(f"matching ‘{text}’")
    return " ".join(words)


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
