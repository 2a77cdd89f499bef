"""Public pages about findings: the filterable list, one finding, one judgement's
findings, and the service areas."""

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property

from judgements.facets import describe, facets
from judgements.filters import FindingFilterSet, search_query
from judgements.models import Finding, Judgement, ServiceArea
from reports import data_version
from reports.paging import PAGE_SIZE, read_page
from reports.templatetags.report_text import MATCH_END, MATCH_START


def bad_request(request, errors):
    """The findings list's answer to a query string it cannot use: status 400, the
    problems in words, and a way back."""
    return render(request, "judgements/bad_request.html", {"errors": errors}, status=400)


class CachedCountPaginator(Paginator):
    """A Paginator whose COUNT is remembered until the data changes (see
    `data_version.cached`): at 100k findings counting a filtered list costs 15-20 ms on
    every page of it, and the answer only changes with the data."""

    def __init__(self, object_list, per_page, *, key, version):
        super().__init__(object_list, per_page)
        self.key, self.version = key, version

    @cached_property
    def count(self):
        return data_version.cached(
            f"count:{self.key}", self.object_list.count, version=self.version
        )


def finding_list(request):
    filterset = FindingFilterSet(request.GET, queryset=Finding.objects.with_context())
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    findings = filterset.qs
    if text := filterset.search_text:
        findings = findings.with_headline(search_query(text), MATCH_START, MATCH_END)
    version = data_version.current()  # one look-up for the count and both facets
    query = filterset.data.copy()
    query.pop("page", None)
    key = repr(sorted((name, sorted(query.getlist(name))) for name in query))
    paginator = CachedCountPaginator(findings, PAGE_SIZE, key=key, version=version)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    page = paginator.page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "judgements/finding_list.html",
        {
            "filterset": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
            "facets": facets(request.GET, filterset, version),
            "description": describe(filterset, paginator.count),
            "query_without_page": query.urlencode(),
            "filtered": any(request.GET.getlist(name) for name in filterset.filters),
            "inspection_options": inspection_options(filterset),
        },
    )


MAX_INSPECTION_OPTIONS = 100


def inspection_options(filterset):
    """The inspections to offer in the list's drop-down: all of them while there are few;
    at national scale (thousands) those of the chosen councils, and any already chosen.
    None means "choose a local authority first"."""
    choices = filterset.form.fields["inspection"].queryset
    data = filterset.form.cleaned_data
    if authorities := data.get("local_authority"):
        return list(choices.filter(local_authority__in=authorities))
    options = list(choices[: MAX_INSPECTION_OPTIONS + 1])
    if len(options) <= MAX_INSPECTION_OPTIONS:
        return options
    return list(data.get("inspection") or []) or None


def finding_detail(request, slug, number):
    finding = get_object_or_404(
        Finding.objects.with_context().prefetch_related("improvement_actions"),
        inspection__slug=slug,
        number=number,
    )
    neighbours = Finding.objects.filter(inspection=finding.inspection)
    return render(
        request,
        "judgements/finding.html",
        {
            "finding": finding,
            "previous": neighbours.filter(number__lt=number).order_by("-number").first(),
            "next": neighbours.filter(number__gt=number).order_by("number").first(),
            "permanent_url": request.build_absolute_uri(finding.get_absolute_url()),
        },
    )


def judgement_detail(request, slug, area):
    judgement = get_object_or_404(
        Judgement.objects.select_related("inspection__local_authority", "area"),
        inspection__slug=slug,
        area__slug=area,
    )
    findings = judgement.findings.with_context().order_by("number")
    return render(
        request, "judgements/judgement.html", {"judgement": judgement, "findings": findings}
    )


def service_area_list(request):
    # Meta.ordering does not apply to aggregating queries, so say it.
    areas = ServiceArea.objects.annotate(finding_count=Count("tags")).order_by("position")
    largest = areas.aggregate(largest=Max("finding_count"))["largest"] or 0
    return render(
        request,
        "judgements/service_area_list.html",
        {"areas": areas, "largest": largest},
    )


def service_area_detail(request, slug):
    area = get_object_or_404(ServiceArea, slug=slug)
    findings = Finding.objects.with_context().filter(service_areas=area)
    paginator = Paginator(
        findings.order_by("-inspection__start_date", "inspection_id", "number"), PAGE_SIZE
    )
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    return render(
        request,
        "judgements/service_area.html",
        {"area": area, "page": paginator.page(number)},
    )
