"""The councils comparison as a FilterSet: each local authority's latest ILACS inspection,
filtered by region, statistical neighbours and grade, and sorted, for the
/local-authorities/ page, /api/comparison/ and /local-authorities.csv; and the
inspections' own (council, framework), for /api/inspections/ and /inspections.csv."""

import django_filters
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from harrow_inspection.filters import (
    OneNeighbourhoodForm,
    OptionalChoiceFilter,
    SlugChoiceFilter,
    SlugMultipleChoiceFilter,
    without_empty_values,
)
from judgements.models import Grade, Judgement, JudgementArea
from reports.grade_tables import JUDGED_TOGETHER, WITH_THE_OTHER
from reports.models import Framework, Inspection, LocalAuthority, Region

SORTS = [("name", "local authority"), ("date", "inspection date")]
NOT_JUDGED = 99  # sorts after every grade

#: Until 2023 ILACS judged children in care and care leavers together: that one grade is
#: also the grade of each of the two judgements it covered (for sorting and the columns).
COVERED_BY_JOINT = set(WITH_THE_OTHER)


def region_slug(region):
    """ "london", "yorkshire-and-the-humber": a region's name as an address."""
    return slugify(Region(region).label)


REGION_CHOICES = [(region_slug(region), region.label) for region in Region]
REGION_CODES = {region_slug(region): region.value for region in Region}


def sort_choices():
    """By name, by date, or by any judgement area (best grade first, not judged last):
    read when a query is checked, so a new judgement area can be sorted by at once."""
    ilacs = JudgementArea.objects.filter(framework=Framework.ILACS)  # what it compares
    areas = [(area.slug, area.short_name) for area in ilacs]
    return [*SORTS, *areas]


def latest_inspections():
    """Each local authority's most recent ILACS inspection held, as a plain queryset (so
    that it can be filtered and ordered freely). Only ILACS: a single inspection framework
    grade (2013-2018) judged other things on another scale of expectations, and is never
    compared as if it were an ILACS one (docs/decisions/frameworks.md); those inspections
    are on each council's page."""
    ilacs = Inspection.objects.filter(framework=Framework.ILACS)
    latest = ilacs.latest_per_local_authority().values("pk")
    return Inspection.objects.filter(pk__in=latest).select_related("local_authority")


def areas_sorted_as(slug):
    """The judgement areas whose grade stands for `slug`'s in a sort."""
    return [slug, JUDGED_TOGETHER] if slug in COVERED_BY_JOINT else [slug]


class ComparisonFilterSet(django_filters.FilterSet):
    region = OptionalChoiceFilter(
        choices=REGION_CHOICES,
        method="filter_region",
        label="Region",
        help_text="A region of England, e.g. london or north-west: its councils only.",
    )
    neighbours_of = SlugChoiceFilter(
        queryset=LocalAuthority.objects.all(),
        method="filter_neighbours",
        label="Statistical neighbours of",
        help_text="A local authority's slug, e.g. harrow: that council and its statistical "
        "neighbours (the DfE's ten).",
        error_messages={"invalid_choice": "%(value)s is not a council's slug, e.g. harrow."},
    )
    grade = OptionalChoiceFilter(
        choices=[(grade.slug, grade.label) for grade in Grade],
        method="filter_grade",
        label="Grade",
        help_text="outstanding, good, requires-improvement or inadequate: councils graded "
        "this in the judgement `area`, or in any judgement.",
    )
    area = SlugChoiceFilter(
        queryset=JudgementArea.objects.filter(framework=Framework.ILACS),
        method="keep",  # read by filter_grade
        label="in",
        help_text="The judgement area the `grade` is looked for in.",
    )
    sort = OptionalChoiceFilter(
        choices=sort_choices,
        method="keep",
        label="Sort by",
        help_text="name (the default), date (newest first) or a judgement area's slug (best "
        "grade first; children in care and care leavers judged together count for both)",
    )

    class Meta:
        model = Inspection
        fields = []
        form = OneNeighbourhoodForm

    def keep(self, queryset, name, value):
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(local_authority__region=REGION_CODES[value])

    def filter_neighbours(self, queryset, name, value):
        return queryset.filter(local_authority__in=LocalAuthority.objects.neighbourhood(value))

    def filter_grade(self, queryset, name, value):
        judgements = Judgement.objects.filter(
            inspection=OuterRef("pk"), grade=Grade.from_slug(value)
        )
        if area := self.form.cleaned_data.get("area"):
            judgements = judgements.filter(area__slug__in=areas_sorted_as(area.slug))
        return queryset.filter(Exists(judgements))

    @property
    def sort_by(self):
        return (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "name"

    @property
    def qs(self):
        queryset = super().qs
        if self.sort_by == "name":
            return queryset.order_by("local_authority__name")
        if self.sort_by == "date":
            return queryset.order_by("-start_date", "local_authority__name")
        grade = Judgement.objects.filter(
            inspection=OuterRef("pk"), area__slug__in=areas_sorted_as(self.sort_by)
        ).order_by("grade")
        return queryset.annotate(
            sort_grade=Coalesce(Subquery(grade.values("grade")[:1]), Value(NOT_JUDGED))
        ).order_by("sort_grade", "local_authority__name")


class InspectionFilterSet(django_filters.FilterSet):
    # as on /api/findings/: `?local_authority=` (a form's "Any") is no filter
    empty_means_any = True

    local_authority = SlugMultipleChoiceFilter(
        field_name="local_authority__slug",
        queryset=LocalAuthority.objects.all(),
        help_text="A council's slug, e.g. harrow; repeat for several.",
    )
    framework = django_filters.MultipleChoiceFilter(
        choices=Framework.choices, help_text="A framework's code; repeat for several."
    )

    class Meta:
        model = Inspection
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_empty_values(data), *args, **kwargs)
