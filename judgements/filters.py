"""The one FilterSet over findings. The HTML list, the CSV export, the Atom feed and the
API all use it, so they can never disagree about what a query string means."""

import copy
import datetime

import django_filters
from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.text import slugify

from harrow_inspection.filters import (
    OneNeighbourhoodForm,
    OptionalChoiceFilter,
    SlugChoiceFilter,
    SlugMultipleChoiceFilter,
    YearMultipleChoiceFilter,
    without_empty_values,
)
from harrow_inspection.paging import cached_count
from harrow_inspection.search import search_query
from judgements.models import (
    OVERALL_AREAS,
    Finding,
    Grade,
    Judgement,
    JudgementArea,
    ServiceArea,
    ServiceAreaTag,
)
from reports.models import Framework, Inspection, LocalAuthority, Region

MAX_QUERY_LENGTH = 200
FIRST_YEAR = 2013  # the single inspection framework's first reports

# Newest report first, then paragraph order: the `finding_list_order` index.
LIST_ORDER = ("-listed_date", "inspection_id", "number")
SORT_ORDERS = {
    "newest": LIST_ORDER,
    "council": ("inspection__local_authority__name", *LIST_ORDER),
    "paragraph": ("number", *LIST_ORDER),
}
SORTS = [
    ("relevance", "Relevance"),
    ("newest", "Newest inspection first"),
    ("council", "Council, A to Z"),
    ("paragraph", "Paragraph number"),
]

#: ?region= takes a region's name as a slug (london, east-of-england), not its GSS code.
REGIONS = {slugify(label): code for code, label in Region.choices}
REGION_LABELS = {slug: Region(code).label for slug, code in REGIONS.items()}
GRADE_CHOICES = [(grade.slug, grade.label) for grade in Grade]

# The old name of ?judgement_grade=, still understood (the findings page redirects it).
OLD_PARAMETERS = {"grade": "judgement_grade"}


def year_choices():
    """Every year from the first report any framework could hold to this one: checked
    without a query, so a year with no reports is a valid, empty choice."""
    return [(str(year), str(year)) for year in range(FIRST_YEAR, datetime.date.today().year + 1)]


def rank_limit():
    """A search that matches more findings than this is listed newest first, not by
    relevance: ranking reads every match (81,000 rows for "children" at 100k findings,
    200 ms, and ten times that at 1M), while newest first reads only the page's rows from
    the list's index. Ranking that many near-equal matches says little anyway."""
    return settings.SEARCH_RANK_LIMIT


def renamed(data):
    """The query with old parameter names given their new ones."""
    if data is None or not any(old in data for old in OLD_PARAMETERS):
        return data
    data = data.copy()
    for old, new in OLD_PARAMETERS.items():
        if old in data:
            data.setlist(new, [*data.getlist(new), *data.pop(old)])
    return data


def overall_judgements():
    """The overall judgement of each finding's inspection, of whichever framework (one
    per inspection: each framework has one overall area)."""
    return Judgement.objects.filter(
        inspection=OuterRef("inspection_id"), area__slug__in=OVERALL_AREAS
    )


_FORM_CLASSES = {}  # (FilterSet class, year): its form class (get_form_class)


def _copied(filter_):
    """A filter of a FilterSet's class, for one FilterSet: what django-filter's deepcopy
    of it made, without copying its queryset and choices (read, never changed)."""
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)  # a ModelChoiceFilter puts its queryset in it
    copied.__dict__.pop("_field", None)  # the form's fields come from the form class
    if filter_.method is not None:
        copied.method = filter_.method  # a FilterMethod of the copy, not of the original
    return copied


#: How a list's description names the framework chosen: "1,204 findings in ILACS reports (2018 on)".
FRAMEWORK_WORDS = {
    Framework.ILACS.value: "ILACS reports (2018 on)",
    Framework.SINGLE_INSPECTION.value: "single inspection framework reports (2013 to 2018)",
}


class FindingFilterSet(django_filters.FilterSet):
    # an empty value is no filter (`without_empty_values`); the API's schema says so
    # (harrow_inspection/api_schema.py)
    empty_means_any = True
    # old names the filters still answer to (the API takes them too: harrow_inspection/api.py)
    renamed_parameters = OLD_PARAMETERS

    q = django_filters.CharFilter(
        label="Search the text",
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text='Words, "a phrase", or -word to leave out. Results come by relevance; '
        "a search matching more findings than the site ranks (5,000 unless configured) "
        "comes newest first.",
    )
    local_authority = SlugMultipleChoiceFilter(
        field_name="inspection__local_authority__slug",
        queryset=LocalAuthority.objects.all(),
        label="Council",
        help_text="A council's slug, e.g. harrow; repeat for several.",
    )
    neighbours_of = SlugChoiceFilter(
        queryset=LocalAuthority.objects.with_neighbours(),
        method="filter_neighbours",
        label="A council and its statistical neighbours",
        help_text="A council's slug, e.g. harrow: findings of that council and of its "
        "statistical neighbours (the DfE's ten most similar councils).",
        error_messages={
            "invalid_choice": "%(value)s is not a council with statistical neighbours "
            "listed: give the slug of one, e.g. harrow."
        },
    )
    region = django_filters.MultipleChoiceFilter(
        choices=[(slug, REGION_LABELS[slug]) for slug in REGIONS],
        method="filter_region",
        label="Region",
        help_text="The council's region, e.g. london, east-of-england; repeat for several.",
    )
    overall_grade = django_filters.MultipleChoiceFilter(
        choices=GRADE_CHOICES,
        method="filter_overall_grade",
        label="Overall grade of the inspection",
        help_text="The inspection's overall grade: its overall effectiveness (ILACS), or "
        "the single inspection framework's overall judgement.",
    )
    judgement_grade = django_filters.MultipleChoiceFilter(
        choices=GRADE_CHOICES,
        method="filter_judgement_grade",
        label="Grade of the judgement this paragraph is under",
        help_text="The grade of the judgement whose section of the report the paragraph "
        "stands in (`grade`, its old name, still works).",
    )
    confirmed = django_filters.ChoiceFilter(
        choices=[("1", "Only service-area tags checked by staff")],
        label="Checked by staff",
        method="filter_confirmed",
        help_text="1: count only tags that staff made or confirmed, not the automatic "
        "tagger's unchecked ones (with service_area, and in the service-area counts); alone, "
        "findings with at least one such tag.",
    )
    judgement_area = SlugMultipleChoiceFilter(
        field_name="judgement__area__slug",
        queryset=JudgementArea.objects.all(),
        label="Judgement area",
        help_text="A judgement area's slug, e.g. care-leavers (see /api/inspections/…'s "
        "judgements); repeat for several.",
    )
    service_area = SlugMultipleChoiceFilter(
        field_name="service_areas__slug",
        queryset=ServiceArea.objects.all(),
        label="Service area",
        method="filter_service_area",
        help_text="A service area's slug, e.g. care-leavers (see /api/service-areas/); "
        "repeat for several.",
    )
    year = YearMultipleChoiceFilter(
        choices=year_choices,
        method="filter_year",
        label="Year of inspection",
        help_text="The year of the inspection's first day, e.g. 2025; repeat for several.",
    )
    latest = OptionalChoiceFilter(
        choices=[("yes", "Latest inspection only")],
        method="filter_latest",
        label="Latest inspection only",
        help_text="yes: only each council's most recent inspection held.",
    )
    inspection = SlugMultipleChoiceFilter(
        field_name="inspection__slug",
        queryset=Inspection.objects.with_local_authority(),
        label="Inspection",
        help_text="An inspection's slug, e.g. harrow-2020-02; repeat for several.",
    )
    sort = OptionalChoiceFilter(
        choices=SORTS,
        method="keep",
        label="Sort by",
        help_text="relevance (the default when searching), newest (the default otherwise), "
        "council or paragraph.",
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
        form = OneNeighbourhoodForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__, but with each filter copied shallowly rather than
        # all of them deep-copied (with their querysets, choices and fields: a millisecond
        # of every list, API answer and feed). A filter's per-request state is its
        # `parent` and `model`; its `method` is bound anew to the copy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        data = renamed(without_empty_values(data))
        if data is not None:
            # Only the filters' own parameters: anything else (`?x=1`, `utm_source`, the
            # page number) would otherwise reach the keys of the kept counts, facets and
            # filter panel, so that any parameter made a fresh recount, and be carried
            # into every link of the page.
            for key in [key for key in data if key not in self.base_filters]:
                del data[key]
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _copied(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        """The form's class, made once per process (and year: the years offered end
        with this one) rather than on every request: its fields do not depend on the
        request (no filter's queryset or choices do). Each form still has its own copy
        of the fields (Django's Form)."""
        key = (type(self), datetime.date.today().year)
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            form_class = _FORM_CLASSES[key] = super().get_form_class()
        return form_class

    def keep(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_vector=search_query(value)) if value else queryset

    def filter_region(self, queryset, name, value):
        codes = [REGIONS[slug] for slug in value]
        return queryset.filter(inspection__local_authority__region__in=codes)

    def filter_neighbours(self, queryset, name, value):
        """Of the council's inspections or its statistical neighbours': the inspections
        as a subquery, so the findings' own index still orders the list."""
        neighbourhood = LocalAuthority.objects.neighbourhood(value)
        inspections = Inspection.objects.filter(local_authority__in=neighbourhood)
        return queryset.filter(inspection__in=inspections.values("pk"))

    def filter_overall_grade(self, queryset, name, value):
        """Under an inspection whose overall effectiveness has one of these grades: an
        EXISTS on the inspection's judgements, so no row comes twice."""
        grades = [Grade.from_slug(slug) for slug in value]
        return queryset.filter(Exists(overall_judgements().filter(grade__in=grades)))

    def filter_judgement_grade(self, queryset, name, value):
        return queryset.filter(judgement__grade__in=[Grade.from_slug(slug) for slug in value])

    def filter_service_area(self, queryset, name, value):
        """Tagged with any of them: an EXISTS, not a join, so that no finding comes twice
        and the list needs no SELECT DISTINCT (slow over the text columns at scale)."""
        if not value:
            return queryset
        tags = self.tags().filter(finding=OuterRef("pk"), service_area__in=value)
        return queryset.filter(Exists(tags))

    def filter_confirmed(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(self.tags().filter(finding=OuterRef("pk"))))

    @property
    def confirmed_only(self):
        return bool(
            self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("confirmed")
        )

    def tags(self):
        """The tags the service-area filter and counts go by: all, or with confirmed=1
        only those staff made or checked."""
        tags = ServiceAreaTag.objects.all()
        return tags.filter(confirmed=True) if self.confirmed_only else tags

    def filter_year(self, queryset, name, value):
        return queryset.filter(listed_date__year__in=[int(year) for year in value])

    def filter_latest(self, queryset, name, value):
        latest = Inspection.objects.latest_per_local_authority().values("pk")
        return queryset.filter(inspection__in=latest)

    @property
    def search_text(self):
        """The cleaned search text, or "" (also when the form is invalid)."""
        if not self.is_valid():
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def sort_by(self):
        """The order asked for, or the default: relevance when searching, else newest."""
        chosen = self.form.cleaned_data.get("sort") if self.is_valid() else ""
        if chosen == "relevance" and not self.search_text:
            chosen = ""  # nothing to rank by
        return chosen or ("relevance" if self.search_text else "newest")

    @cached_property
    def count(self):
        """How many findings the filters give (`cached_count`), worked out once."""
        return cached_count(super().qs, self.request)

    @cached_property
    def ranked(self):
        """Whether the list comes by relevance: asked for (or a search's default), and
        matching at most rank_limit()."""
        if self.sort_by != "relevance":
            return False
        return self.count <= rank_limit()

    @property
    def qs(self):
        """Filtered findings in the order asked for: by relevance when searching (unless
        too many match), else newest report first, then in paragraph order."""
        queryset = super().qs
        if self.ranked:
            query = search_query(self.search_text)
            return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", *LIST_ORDER
            )
        return queryset.order_by(*SORT_ORDERS.get(self.sort_by, LIST_ORDER))
