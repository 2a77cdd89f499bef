"""Public pages about findings: the filterable list, one finding, one judgement's
findings, and the service areas."""

import hashlib
from functools import partial
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe

from harrow_inspection import data_version
from harrow_inspection.addresses import address_maker
from harrow_inspection.compiled import CompiledValues
from harrow_inspection.errors import bad_request
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page
from harrow_inspection.search import searches_for_no_word
from judgements import citation, listing, review, tagging
from judgements.facets import applied, describe, facets
from judgements.filters import LIST_ORDER, OLD_PARAMETERS, SORTS, FindingFilterSet, renamed
from judgements.models import EvidenceLink, Finding, Judgement, ServiceArea
from reports.models import Inspection, lists_recommendations


def finding_list(request):
    if any(name in request.GET for name in OLD_PARAMETERS):
        # ?grade= is ?judgement_grade= now: one address for one list
        query = renamed(request.GET)
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
    # the list only counts and windows these findings (listing.py reads the page's
    # rows, with their grades): no annotation to build for them
    filterset = FindingFilterSet(request.GET, queryset=Finding.objects.all(), request=request)
    if not filterset.is_valid():
        return bad_request(request, filterset.errors)
    # what the counts, facets and drop-downs are remembered by: a text edit changes those of
    # a search only (data_version.for_counts)
    version = data_version.for_counts(request, searching=bool(filterset.search_text))
    findings = filterset.qs
    text = filterset.search_text
    # the page's ids from the list, then their rows as plain values, with their tags and
    # highlights, in a query prepared once (listing.py)
    shown = partial(listing.page_rows, text=text)
    paginator = Paginator(findings, PAGE_SIZE, request=request, shown=shown, count=filterset.count)
    number, error = read_page(request.GET.get("page", "1"), paginator.count)
    if error:
        return bad_request(request, {"page": [error]})
    page = paginator.page(number)
    query = filterset.data.copy()  # the filters' own parameters: no page number
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
            # only when nothing matched: one more query, to say why
            "no_word": bool(text) and not paginator.count and searches_for_no_word(text),
        },
    )


def filter_panel(request, filterset, version, count, query):
    """The filter form with its facet counts, rendered once per query and counts version: a
    few hundred checkboxes once every council has a report (data_version.cached; right
    after a change, the panel of the moment before while the new one is rendered in the
    background).

    A text search's panel is kept instead by what it shows: its facets follow an edit of
    the words that leaves the search's matches as they were (judgements/facets.py,
    `_follow`), and a panel kept by the data version would be made again after every
    edit all the same."""
    counts_version = data_version.for_counts(request)

    def render_panel(found=None, options=None):
        if found is None:
            found = facets(request.GET, filterset, version, count)
        return render_to_string(
            "judgements/finding_filters.html",
            {
                "filterset": filterset,
                "facets": found,
                # no facet of its own (two values): kept through the form as it is
                "frameworks_chosen": filterset.data.getlist("framework"),
                # the inspections do not change with the words: by the counts version
                **(filter_options(filterset, counts_version) if options is None else options),
            },
        )

    if not filterset.search_text:
        panel = data_version.cached(f"filter-panel:{query.urlencode()}", render_panel, version)
    else:
        found = facets(request.GET, filterset, version, count)
        options = filter_options(filterset, counts_version)
        # by what it is made of (and the release's templates and the site's address), not
        # by a data version: a change that leaves the facets and options as they were
        # finds it kept, never marked as of a moment before
        made_of = repr((settings.RELEASE, get_script_prefix(), query.urlencode(), found, options))
        key = f"harrow:filter-panel:{hashlib.sha256(made_of.encode()).hexdigest()}"
        panel = data_version.cache_get(cache, key)
        if panel is None:
            panel = render_panel(found, options)
            data_version.cache_set(cache, key, panel, PANEL_SECONDS)
    # rendered by the template engine, which escaped it: safe to show as it is
    return mark_safe(panel)  # noqa: S308


# A search's panel is found again by its contents, so it never goes out of date; an hour
# keeps the cache to the panels being asked for.
PANEL_SECONDS = 3600


MAX_INSPECTION_OPTIONS = 100


def filter_options(filterset, version):
    """The inspections drop-down as (slug, label, selected) triples: all of them while
    there are few, at national scale (thousands) those of the chosen councils and any
    already chosen, or None for "choose a council first"; and the statistical
    neighbours' (every council with neighbours listed). The choices are remembered until
    the data changes.
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
    with_neighbours = filterset.form.fields["neighbours_of"].queryset.order_by("name")
    centres = data_version.cached(
        "options:neighbours_of",
        lambda: list(with_neighbours.values_list("slug", "name")),
        version=version,
    )
    return {
        "inspection_options": None if options is None else triples(options, "inspection"),
        "neighbour_options": triples(centres, "neighbours_of"),
    }


def _finding_page(slug, number):
    """Everything a finding's page shows, in one query: the finding, its inspection,
    council and judgement, its service-area tags and the improvement actions it is
    evidence for (in the order shown), and the paragraph numbers either side (numbers can
    have gaps in imported reports)."""
    same_report = Finding.objects.filter(inspection=OuterRef("inspection"))
    evidence = (
        EvidenceLink.objects.filter(finding=OuterRef("pk"))
        .order_by("action__position")
        .values_list(
            JSONObject(text="action__text", position="action__position", confirmed="confirmed")
        )
    )
    inspection_fields = [
        "slug", "title", "start_date", "end_date", "published_on", "source_url", "publisher",
        "licence", "copyright_notice", "is_synthetic", "framework",
    ]  # fmt: skip
    return Finding.objects.filter(inspection__slug=slug, number=number).values(
        "pk",
        "number",
        "text",
        "no_service_area",
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
        authority=F("inspection__local_authority__name"),
        grade=F("judgement__grade"),
        area_slug=F("judgement__area__slug"),
        area_name=F("judgement__area__name"),
        area_short_name=F("judgement__area__short_name"),
        tag_list=listing.tag_values(),
        evidence=ArraySubquery(evidence),
        **{f"inspection_{name}": F(f"inspection__{name}") for name in inspection_fields},
        # the data version in the same snapshot: the page's ETag, without a query of its own
        **data_version.in_the_same_query(),
    )


# Compiled once per process: on this, the most visited page, the ORM's compilation cost
# more than the query (bench/README.md).
FINDING_PAGE = CompiledValues(
    _finding_page,
    json_columns=("tag_list", "evidence"),
    slug="stand-in-slug-of-an-inspection",
    number=32109,  # a paragraph number (a small positive integer) no query names
)


def _finding_values(row):
    """The finding of `row` (FINDING_PAGE) with its inspection, council, judgement and
    area as plain values: dictionaries for the template (a template looks a name up in
    a dictionary first; on a model instance that first try raises, on every variable) and
    the same values by attribute for the citations. Dates the page shows are written
    out once here, as the template's `date` filter wrote them."""
    inspection = {
        key.removeprefix("inspection_"): value
        for key, value in row.items()
        if key.startswith("inspection_")
    }
    inspection["local_authority"] = row["authority"]
    start, end, published = (inspection[k] for k in ("start_date", "end_date", "published_on"))
    inspection["attribution"] = Inspection.attribution.fget(SimpleNamespace(**inspection))
    dates = {
        "month": date_format(start, "F Y"),
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
        "published": published and date_format(published, "j F Y"),
        "year": date_format(published or end, "Y"),
    }
    finding = {
        "pk": row["pk"],
        "number": str(row["number"]),  # text already: the template would localize a number
        "text": row["text"],
        "no_service_area": row["no_service_area"],
        "inspection": inspection,
        "judgement": {
            "grade": row["grade"],
            "area": {
                "slug": row["area_slug"],
                "name": row["area_name"],
                "short_name": row["area_short_name"],
            },
        },
    }
    cited = SimpleNamespace(
        number=row["number"], inspection=SimpleNamespace(**inspection)
    )  # what judgements.citation reads
    return finding, dates, cited


def finding_url(slug, number):
    """reverse("judgements:finding", …), made once per process (harrow_inspection.addresses)."""
    return listing.finding_url(slug=slug, number=number)


#: a paragraph number is a PostgreSQL smallint
PARAGRAPH_NUMBER_MAX = 32767


def number_ranges(numbers):
    """Sorted paragraph numbers as the runs a reader looks for: "11-86 and 93-111", with
    en dashes."""
    runs = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    named = [str(first) if first == last else f"{first}\N{EN DASH}{last}" for first, last in runs]
    return ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else "".join(named)


def missing_paragraph(request, slug, number):
    """The 404 for a paragraph number a report held here has no finding for: which
    numbers it has, and where the others went (a SIF report numbers its recommendations
    in the same run as its findings; Ofsted sometimes skips a number), so that a reader
    following a citation is not left at a bare "Page not found"."""
    if number < 1:
        raise Http404("No such paragraph.")
    inspection = (
        Inspection.objects.filter(slug=slug)
        .select_related("local_authority")
        .annotate(
            numbers=ArraySubquery(
                Finding.objects.filter(inspection=OuterRef("pk"))
                .order_by("number")
                .values("number")
            ),
            actions=Count("improvement_actions"),
        )
        .first()
    )
    if inspection is None:
        raise Http404("No such report.")
    numbers = inspection.numbers
    held = set(numbers)
    gaps = [n for n in range(1, numbers[-1]) if n not in held] if numbers else []
    return render(
        request,
        "judgements/paragraph_not_found.html",
        {
            "inspection": inspection,
            "number": str(number),
            "ranges": number_ranges(numbers) if numbers else "",
            "ranges_plural": len(numbers) > 1,
            "beyond_the_last": bool(numbers) and number > numbers[-1],
            "recommendations": inspection.lists_recommendations and inspection.actions,
            # a SIF report's recommendations fill exactly its gaps when the counts agree
            "recommendation_ranges": number_ranges(gaps)
            if gaps and len(gaps) == inspection.actions and inspection.lists_recommendations
            else "",
        },
        status=404,
    )


@data_version.reads_version_itself
def finding_detail(request, slug, number):
    canonical = finding_url(slug, number)
    if request.path != canonical:  # /findings/024/ is /findings/24/: one address each
        return redirect(canonical + (f"?{request.GET.urlencode()}" if request.GET else ""),
                        permanent=True)  # fmt: skip
    if number > PARAGRAPH_NUMBER_MAX:  # PostgreSQL would refuse it: a 500, not a 404
        raise Http404("No such paragraph.")
    rows = FINDING_PAGE.rows(slug=slug, number=number)
    if not rows:
        return missing_paragraph(request, slug, number)
    row = rows[0]
    data_version.read_with(request, row)
    finding, dates, cited = _finding_values(row)
    marks = listing.checked_marks(short=False)
    for item in (*row["tag_list"], *row["evidence"]):
        item["mark"] = marks[item["confirmed"]]
    permanent_url = request.build_absolute_uri(canonical)
    previous, following = row["previous_number"], row["next_number"]
    return render(
        request,
        "judgements/finding.html",
        {
            "finding": finding,
            "dates": dates,
            "area_tags": row["tag_list"],
            "evidence": row["evidence"],
            "recommendations": lists_recommendations(row["inspection_framework"]),
            "previous": previous and str(previous),
            "next": following and str(following),
            "previous_url": previous and finding_url(slug, previous),
            "next_url": following and finding_url(slug, following),
            "permanent_url": permanent_url,
            "inspection_url": address_maker("reports:inspection", slug="slug-of-the-inspection")(
                slug=slug
            ),
            "judgement_url": address_maker(
                "judgements:judgement", slug="slug-of-the-inspection", area="slug-of-the-area"
            )(slug=slug, area=row["area_slug"]),
            "api_url": address_maker(
                "api:finding-detail", slug="slug-of-the-inspection", number=32109
            )(slug=slug, number=number),
            "ris": citation.ris(cited, permanent_url),
            "bibtex": citation.bibtex(cited, permanent_url),
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


def report_findings(request, slug):
    """/inspections/<slug>/findings/ (an address trimmed back from a paragraph's): the
    report's findings in the list, where they can be filtered; an unknown report is the
    list's own 400 naming it."""
    query = QueryDict(mutable=True)
    query["inspection"] = slug
    return redirect(f"{reverse('judgements:finding-list')}?{query.urlencode()}")
