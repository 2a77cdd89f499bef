"""The one FilterSet over findings. The HTML list, the CSV export and the API all use
it, so they can never disagree about what a query string means."""

import django_filters
from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef
from django.utils.functional import cached_property

from harrow_inspection import data_version
from harrow_inspection.filters import SlugMultipleChoiceFilter, without_empty_values
from harrow_inspection.paging import cached_count
from harrow_inspection.search import search_query
from judgements.models import (
    Finding,
    Grade,
    JudgementArea,
    ServiceArea,
    ServiceAreaTag,
)
from reports.models import Framework, Inspection, LocalAuthority

MAX_QUERY_LENGTH = 200

# Newest report first, then paragraph order: the `finding_list_order` index.
LIST_ORDER = ("-listed_date", "inspection_id", "number")


def rank_limit():
    """A search that matches more findings than this is listed newest first, not by
    relevance: ranking reads every match (81,000 rows for "children" at 100k findings,
    200 ms, and ten times that at 1M), while newest first reads only the page's rows from
    the list's index. Ranking that many near-equal matches says little anyway."""
    return settings.SEARCH_RANK_LIMIT


class FindingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search the text",
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text='Words, "a phrase", or -word to leave out. Results come by relevance; '
        "a search matching more findings than the site ranks (5,000 unless configured) "
        "comes newest first.",
    )
    service_area = SlugMultipleChoiceFilter(
        field_name="service_areas__slug",
        queryset=ServiceArea.objects.all(),
        label="Service area",
        method="filter_service_area",
    )
    judgement_area = SlugMultipleChoiceFilter(
        field_name="judgement__area__slug",
        queryset=JudgementArea.objects.all(),
        label="Judgement area",
    )
    grade = django_filters.MultipleChoiceFilter(
        field_name="judgement__grade",
        choices=[(grade.slug, grade.label) for grade in Grade],
        label="Grade of the judgement",
        method="filter_grade",
    )
    inspection = SlugMultipleChoiceFilter(
        field_name="inspection__slug",
        queryset=Inspection.objects.with_local_authority(),
        label="Inspection",
    )
    local_authority = SlugMultipleChoiceFilter(
        field_name="inspection__local_authority__slug",
        queryset=LocalAuthority.objects.all(),
        label="Local authority",
    )
    framework = django_filters.MultipleChoiceFilter(
        field_name="inspection__framework",
        choices=[
            (Framework.ILACS.value, "ILACS (2018 on)"),
            (Framework.SINGLE_INSPECTION.value, "Single inspection framework (2013 to 2018)"),
        ],
        label="Inspection framework",
        help_text="ilacs or sif: findings of reports of that framework.",
    )

    class Meta:
        model = Finding
        fields = []  # every filter is declared above

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_empty_values(data), *args, **kwargs)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_vector=search_query(value)) if value else queryset

    def filter_service_area(self, queryset, name, value):
        """Tagged with any of them: an EXISTS, not a join, so that no finding comes twice
        and the list needs no SELECT DISTINCT (slow over the text columns at scale)."""
        if not value:
            return queryset
        tags = ServiceAreaTag.objects.filter(finding=OuterRef("pk"), service_area__in=value)
        return queryset.filter(Exists(tags))

    def filter_grade(self, queryset, name, value):
        return queryset.filter(judgement__grade__in=[Grade.from_slug(slug) for slug in value])

    @property
    def search_text(self):
        """The cleaned search text, or "" (also when the form is invalid)."""
        if not self.is_valid():
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @cached_property
    def ranked(self):
        """Whether the list comes by relevance: a search, matching at most rank_limit()."""
        if not self.search_text:
            return False
        version = data_version.for_request(self.request) if self.request else None
        return cached_count(super().qs, version) <= rank_limit()

    @property
    def qs(self):
        """Filtered findings: by relevance when searching (unless too many match), else
        newest report first, then in paragraph order."""
        queryset = super().qs
        if self.ranked:
            query = search_query(self.search_text)
            return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", *LIST_ORDER
            )
        return queryset.order_by(*LIST_ORDER)
