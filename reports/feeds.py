"""Atom feeds of new inspection reports: all, one council's, one region's.

A feed's entries are the inspections held, newest published first; each links to its page
here and says the grades, with Ofsted's PDF as a related link. Readers poll the feed's
address; the page cache and ETag keep a poll that finds nothing new cheap."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, timezone

from reports import grade_tables, selectors
from reports.filters import REGION_CHOICES, REGION_CODES
from reports.models import LocalAuthority

FEED_LENGTH = 50


class AtomWithRelated(feedgenerator.Atom1Feed):
    """Atom with each entry's PDF as <link rel="related" type="application/pdf">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("pdf"):
            handler.addQuickElement(
                "link", "", {"rel": "related", "type": "application/pdf", "href": item["pdf"]}
            )


def as_datetime(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class InspectionFeed(Feed):
    feed_type = AtomWithRelated
    description_template = "reports/feed_entry.html"
    title_text = "New inspections of children's social care services"
    # Atom's <rights>, as the findings' feed has: the entries quote the reports' summaries
    feed_copyright = (
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )

    def get_object(self, request, **kwargs):
        return None

    def title(self, obj):
        return self.title_text

    def subtitle(self, obj):
        return "Ofsted's inspection reports of local authority children's services, as data."

    def link(self, obj):
        return reverse("reports:home")

    def feed_url(self, obj):
        return reverse("reports:feed")

    def inspections(self, obj):
        return selectors.for_listing()

    def items(self, obj):
        newest = self.inspections(obj).order_by(
            "-published_on", "-start_date", "local_authority__name"
        )
        return newest[:FEED_LENGTH]

    def item_title(self, item):
        # either framework's overall grade; said when a graded report gives none (April
        # 2026 on), so a title without a grade is not read as one left out
        if selectors.gives_no_overall_grade(item):
            grade = f": {grade_tables.NO_OVERALL_GRADE}"
        else:
            overall = selectors.overall_judgement(item)
            grade = f": {overall.get_grade_display()}" if overall else ""
        return f"{item.local_authority}, {item.start_date:%B %Y}{grade}"

    def item_pubdate(self, item):
        return as_datetime(item.published_on or item.end_date)

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_author_name(self, item):
        return item.publisher

    def item_extra_kwargs(self, item):
        return {"pdf": item.source_url}

    def item_categories(self, item):
        return [item.get_framework_display()]


class LocalAuthorityFeed(InspectionFeed):
    def get_object(self, request, slug):
        return get_object_or_404(LocalAuthority, slug=slug)

    def title(self, obj):
        return f"New inspections of {obj}'s children's social care services"

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("reports:local-authority-feed", kwargs={"slug": obj.slug})

    def inspections(self, obj):
        return selectors.for_listing().filter(local_authority=obj)


class RegionFeed(InspectionFeed):
    def get_object(self, request, region):
        if region not in REGION_CODES:
            raise Http404("No such region")
        return region

    def title(self, obj):
        return f"New inspections in {dict(REGION_CHOICES)[obj]}"

    def link(self, obj):
        return reverse("reports:comparison") + f"?region={obj}"

    def feed_url(self, obj):
        return reverse("reports:region-feed", kwargs={"region": obj})

    def inspections(self, obj):
        return selectors.for_listing().filter(local_authority__region=REGION_CODES[obj])
