"""The councils comparison as a FilterSet: each local authority's latest inspection,
filtered by grade and sorted, for the /local-authorities/ page and /api/comparison/."""

import django_filters
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from harrow_inspection.filters import OptionalChoiceFilter, SlugChoiceFilter
from judgements.models import Grade, Judgement, JudgementArea
from reports.models import Framework, Inspection

SORTS = [("name", "local authority"), ("date", "inspection date")]
NOT_JUDGED = 99  # sorts after every grade


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
    compared as if it were an ILACS one (docs/decisions/frameworks.md)."""
    latest = (
        Inspection.objects.filter(framework=Framework.ILACS)
        .latest_per_local_authority()
        .values("pk")
    )
    return Inspection.objects.filter(pk__in=latest).select_related("local_authority")


class ComparisonFilterSet(django_filters.FilterSet):
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
        "grade first)",
    )

    class Meta:
        model = Inspection
        fields = []

    def keep(self, queryset, name, value):
        return queryset

    def filter_grade(self, queryset, name, value):
        judgements = Judgement.objects.filter(
            inspection=OuterRef("pk"), grade=Grade.from_slug(value)
        )
        if area := self.form.cleaned_data.get("area"):
            judgements = judgements.filter(area=area)
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
        grade = Judgement.objects.filter(inspection=OuterRef("pk"), area__slug=self.sort_by)
        return queryset.annotate(
            sort_grade=Coalesce(Subquery(grade.values("grade")[:1]), Value(NOT_JUDGED))
        ).order_by("sort_grade", "local_authority__name")
