"""Public pages about findings: the filterable list, one finding, one judgement's
findings, and the service areas."""

from django.db.models import Count, Max, Min, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from harrow_inspection import data_version
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from harrow_inspection.search import MATCH_END, MATCH_START, search_query
from judgements import review, tagging
from judgements.facets import describe, facets
from judgements.filters import LIST_ORDER, FindingFilterSet
from judgements.models import EvidenceLink, Finding, Judgement, ServiceArea
from reports.models import LocalAuthority


def finding_list(request):
    version = data_version.for_request(request)  # one look-up for counts and facets
    filterset = FindingFilterSet(
        request.GET, queryset=Finding.objects.with_context(), request=request
    )
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    findings = filterset.qs
    if text := filterset.search_text:
        findings = findings.with_headline(search_query(text), MATCH_START, MATCH_END)
    paginator = Paginator(findings, PAGE_SIZE, version=version)
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
            "newest_first_search": filterset.search_text and not filterset.ranked,
            "query_without_page": query.urlencode(),
            "filtered": any(request.GET.getlist(name) for name in filterset.filters),
            **filter_options(filterset, version),
        },
    )


MAX_INSPECTION_OPTIONS = 100


def filter_options(filterset, version):
    """The list's two drop-downs as (slug, label, selected) triples: every local
    authority; and the inspections, all of them while there are few, at national scale
    (thousands) those of the chosen councils and any already chosen, or None for "choose
    a local authority first". The choices are remembered until the data changes, so a
    page does not build 150 authorities and 100 inspections from the database each time.
    """
    data = filterset.form.cleaned_data

    def triples(choices, parameter):
        chosen = set(filterset.data.getlist(parameter))
        return [(slug, label, slug in chosen) for slug, label in choices]

    def labelled(inspections):
        return [(inspection.slug, str(inspection)) for inspection in inspections]

    authorities = data_version.cached(
        "options:local_authority",
        lambda: list(  # the councils with reports held, not the whole councils table
            LocalAuthority.objects.filter(inspections__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
        version=version,
    )
    inspections = filterset.form.fields["inspection"].queryset
    if chosen_authorities := data.get("local_authority"):
        slugs = sorted(authority.slug for authority in chosen_authorities)
        options = data_version.cached(
            f"options:inspection:{slugs}",
            lambda: labelled(inspections.filter(local_authority__slug__in=slugs)),
            version=version,
        )
    else:
        options = data_version.cached(
            "options:inspection",
            lambda: labelled(inspections[: MAX_INSPECTION_OPTIONS + 1]),
            version=version,
        )
        if len(options) > MAX_INSPECTION_OPTIONS:
            options = labelled(data.get("inspection") or []) or None
    return {
        "local_authority_options": triples(authorities, "local_authority"),
        "inspection_options": None if options is None else triples(options, "inspection"),
    }


def finding_detail(request, slug, number):
    finding = get_object_or_404(
        Finding.objects.with_context().prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.select_related("action").order_by("action__position"),
            )
        ),
        inspection__slug=slug,
        number=number,
    )
    # The paragraphs either side, in one query (numbers can have gaps in imported reports)
    neighbours = Finding.objects.filter(inspection=finding.inspection).aggregate(
        previous=Max("number", filter=Q(number__lt=number)),
        next=Min("number", filter=Q(number__gt=number)),
    )
    return render(
        request,
        "judgements/finding.html",
        {
            "finding": finding,
            "previous": neighbours["previous"],
            "next": neighbours["next"],
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
    paginator = Paginator(findings.order_by(*LIST_ORDER), PAGE_SIZE)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    return render(
        request,
        "judgements/service_area.html",
        {"area": area, "page": paginator.page(number)},
    )


def about_tagging(request):
    """How service areas and evidence links are made, how well, and how much staff have
    checked."""
    return render(
        request,
        "judgements/about_tagging.html",
        {
            "measured": tagging.MEASURED,
            "tagger_version": tagging.TAGGER_VERSION,
            "totals": review.totals(),
            "agreement": review.agreement(),
            "areas": ServiceArea.objects.order_by("position"),
        },
    )
