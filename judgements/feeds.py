"""An Atom feed of any findings search: /findings/feed/?<the query of /findings/>. The
URL is the state, so a reader subscribed to it hears of every new finding that the same
filters would list."""

import datetime

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape
from django.views.decorators.http import condition, require_safe

from harrow_inspection import data_version
from harrow_inspection.paging import cached_count
from judgements.facets import describe
from judgements.filters import FindingFilterSet
from judgements.models import Finding

FEED_SIZE = 50  # the newest findings a feed carries


def _moment(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _updated(finding):
    """When the finding was published: its report's publication date, else the
    inspection's last day (a report held without one)."""
    inspection = finding.inspection
    return _moment(inspection.published_on or inspection.end_date)


@require_safe
@condition(etag_func=data_version.etag, last_modified_func=data_version.last_modified)
def findings_feed(request):
    query = request.GET.copy()
    query["sort"] = "newest"  # a feed is newest first, whatever the page was sorted by
    query.pop("page", None)
    filterset = FindingFilterSet(
        query, queryset=Finding.objects.with_context().with_overall_grade(), request=request
    )
    if not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    findings = list(filterset.qs[:FEED_SIZE])
    query.pop("sort")
    page_url = request.build_absolute_uri(reverse("judgements:finding-list"))
    if query:
        page_url += "?" + query.urlencode()
    count = cached_count(filterset.qs, request)
    feed = feedgenerator.Atom1Feed(
        title=f"Findings: {describe(filterset, count)}",
        link=page_url,
        feed_url=request.build_absolute_uri(),
        description="The newest findings of Ofsted's inspection reports that this search "
        "lists, verbatim.",
        language="en-GB",
        feed_guid=page_url,
        feed_copyright="Contains public sector information licensed under the Open "
        "Government Licence v3.0.",
    )
    for finding in findings:
        inspection, judgement = finding.inspection, finding.judgement
        url = request.build_absolute_uri(finding.get_absolute_url())
        feed.add_item(
            title=f"{inspection.local_authority}, {inspection.start_date:%B %Y}: "
            f"paragraph {finding.number}",
            link=url,
            unique_id=url,
            # Atom's summary is type="html": the text escaped, so that text typed with
            # angle brackets reads as written in a feed reader and never as markup
            description=escape(finding.text),
            pubdate=_updated(finding),
            updateddate=_updated(finding),
            author_name=inspection.publisher,
            categories=[
                judgement.area.short_name,
                *(t.service_area.name for t in finding.area_tags),
            ],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
