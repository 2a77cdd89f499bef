"""Public pages about findings: the filterable list, one finding, one judgement's
findings, and the service areas."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from harrow_inspection import data_version
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from harrow_inspection.search import MATCH_END, MATCH_START, search_query
from judgements import citation, review, tagging
from judgements.facets import applied, describe, facets
from judgements.filters import LIST_ORDER, OLD_PARAMETERS, SORTS, FindingFilterSet, renamed
from judgements.models import EvidenceLink, Finding, Judgement, ServiceArea


def finding_list(request):
    if any(name in request.GET for name in OLD_PARAMETERS):
        # ?grade= is ?judgement_grade= now: one address for one list
        query = renamed(request.GET)
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
    filterset = FindingFilterSet(
        request.GET, queryset=Finding.objects.with_context().with_overall_grade(), request=request
    )
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    # what the counts, facets and drop-downs are remembered by: a text edit changes those of
    # a search only (data_version.for_counts)
    version = data_version.for_counts(request, searching=bool(filterset.search_text))
    findings = filterset.qs
    if text := filterset.search_text:
        findings = findings.with_headline(search_query(text), MATCH_START, MATCH_END)
    paginator = Paginator(findings, PAGE_SIZE, request=request)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    page = paginator.page(number)
    query = filterset.data.copy()
    query.pop("page", None)
    feed_query = query.copy()
    feed_query.pop("sort", None)  # a feed is newest first
    return render(
        request,
        "judgements/finding_list.html",
        {
            "filterset": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
            "filter_panel": filter_panel(request, filterset, version, paginator.count, query),
            "applied": applied(filterset),
            "description": describe(filterset, paginator.count),
            "newest_first_search": filterset.sort_by == "relevance" and not filterset.ranked,
            "query_without_page": query.urlencode(),
            "feed_query": feed_query.urlencode(),
            "sort_by": filterset.sort_by,
            "sorts": [(value, label) for value, label in SORTS if value != "relevance" or text],
            "sort_hidden": [(k, v) for k, values in query.lists() if k != "sort" for v in values],
            "filtered": any(
                filterset.data.getlist(name) for name in filterset.filters if name != "sort"
            ),
        },
    )


def filter_panel(request, filterset, version, count, query):
    """The filter form with its facet counts, rendered once per query and counts version:
    a few hundred checkboxes once every council has a report (data_version.cached; right
    after a change, the panel of the moment before while the new one is rendered in the
    background)."""

    def render_panel():
        return render_to_string(
            "judgements/finding_filters.html",
            {
                "filterset": filterset,
                "facets": facets(request.GET, filterset, version, count),
                # no facet of its own (two values): kept through the form as it is
                "frameworks_chosen": filterset.data.getlist("framework"),
                **filter_options(filterset, version),
            },
        )

    # rendered by the template engine, which escaped it: safe to show as it is
    return mark_safe(  # noqa: S308
        data_version.cached(f"filter-panel:{query.urlencode()}", render_panel, version)
    )


MAX_INSPECTION_OPTIONS = 100


def filter_options(filterset, version):
    """The inspections drop-down as (slug, label, selected) triples: all of them while
    there are few, at national scale (thousands) those of the chosen councils and any
    already chosen, or None for "choose a council first". The choices are remembered
    until the data changes.
    """
    data = filterset.form.cleaned_data

    def triples(choices, parameter):
        chosen = set(filterset.data.getlist(parameter))
        return [(slug, label, slug in chosen) for slug, label in choices]

    def labelled(inspections):
        return [(inspection.slug, str(inspection)) for inspection in inspections]

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
    return {"inspection_options": None if options is None else triples(options, "inspection")}


def finding_detail(request, slug, number):
    canonical = reverse("judgements:finding", kwargs={"slug": slug, "number": number})
    if request.path != canonical:  # /findings/024/ is /findings/24/: one address each
        return redirect(canonical + (f"?{request.GET.urlencode()}" if request.GET else ""),
                        permanent=True)  # fmt: skip
    # The paragraphs either side, in the same query (numbers can have gaps in imported
    # reports): one round trip fewer on the most visited page.
    same_report = Finding.objects.filter(inspection=OuterRef("inspection"))
    finding = get_object_or_404(
        Finding.objects.with_context()
        .annotate(
            previous_number=Subquery(
                same_report.filter(number__lt=OuterRef("number"))
                .order_by("-number")
                .values("number")[:1]
            ),
            next_number=Subquery(
                same_report.filter(number__gt=OuterRef("number"))
                .order_by("number")
                .values("number")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.select_related("action").order_by("action__position"),
            )
        ),
        inspection__slug=slug,
        number=number,
    )
    permanent_url = request.build_absolute_uri(finding.get_absolute_url())
    return render(
        request,
        "judgements/finding.html",
        {
            "finding": finding,
            "previous": finding.previous_number,
            "next": finding.next_number,
            "permanent_url": permanent_url,
            "ris": citation.ris(finding, permanent_url),
            "bibtex": citation.bibtex(finding, permanent_url),
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
    """Every service area with its number of findings: a count over every tag (1.6 s at 1M
    findings), so remembered until the counts change (data_version.for_counts)."""

    def counted():
        # Meta.ordering does not apply to aggregating queries, so say it.
        return list(ServiceArea.objects.annotate(finding_count=Count("tags")).order_by("position"))

    areas = data_version.cached("service-area-counts", counted, data_version.for_counts(request))
    largest = max((area.finding_count for area in areas), default=0)
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
