"""Facet counts and the plain-English description of a filtered list of findings."""

from dataclasses import dataclass

from django.db.models import Count
from django.http import QueryDict

from judgements.filters import FindingFilterSet
from judgements.models import Finding, JudgementArea, ServiceArea


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


def _counts(filterset: FindingFilterSet, parameter: str, group_by: str) -> dict[int, int]:
    """Findings per value of one facet, under every other filter of `filterset` (one query).

    The facet's own filter is left out, so each count says how many findings that value
    would give with the other filters as they are. The filterset is already validated, so
    its cleaned values are reused rather than checked again (which would cost queries).
    """
    queryset = Finding.objects.all()
    for name, value in filterset.form.cleaned_data.items():
        if name != parameter:
            queryset = filterset.filters[name].filter(queryset, value)
    rows = queryset.order_by().values(group_by).annotate(count=Count("id", distinct=True))
    return {row[group_by]: row["count"] for row in rows}


def facets(filterset: FindingFilterSet) -> list[Facet]:
    """The service-area and judgement-area facets for a valid, bound `filterset`."""
    data = filterset.data
    specifications = [
        ("service_area", "Service area", "service_areas", ServiceArea.objects.all()),
        ("judgement_area", "Judgement area", "judgement__area", JudgementArea.objects.all()),
    ]
    result = []
    for parameter, title, group_by, choices in specifications:
        counts = _counts(filterset, parameter, group_by)
        chosen = set(data.getlist(parameter))
        values = [
            FacetValue(
                slug=choice.slug,
                name=str(choice),
                count=counts.get(choice.pk, 0),
                selected=choice.slug in chosen,
                toggle_query=toggled(data, parameter, choice.slug),
            )
            for choice in choices
            if counts.get(choice.pk) or choice.slug in chosen
        ]
        result.append(Facet(parameter=parameter, title=title, values=values))
    return result


def describe(filterset: FindingFilterSet, count: int) -> str:
    """A sentence saying what is shown, e.g. "12 findings about care leavers matching
    'pathway'"."""
    data = filterset.form.cleaned_data
    words = [f"{count} finding" if count == 1 else f"{count} findings"]
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
    if text := filterset.search_text:
        words.append(f"matching ‘{text}’")
    return " ".join(words)


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
