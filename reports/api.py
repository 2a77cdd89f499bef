"""Read-only API for local authorities, inspections and the glossary: viewsets on this
app's router, included under /api/ by harrow_inspection/urls.py."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from harrow_inspection.api import (
    IdentityField,
    ListLinkField,
    ListRetrieveViewSet,
    ListViewSet,
    Router,
    WebLinkField,
    numbered_choice_serializer,
)
from judgements.models import GRADE_NUMBER_HELP, Grade
from reports import selectors
from reports.filters import (
    ComparisonFilterSet,
    InspectionFilterSet,
    latest_inspections,
    region_slug,
)
from reports.models import GlossaryTerm, Inspection, LocalAuthority, StatisticalNeighbour

GradeSerializer = numbered_choice_serializer(Grade, GRADE_NUMBER_HELP)


class LocalAuthoritySerializer(serializers.ModelSerializer):
    url = IdentityField("api:local-authority-detail")
    inspections = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    region = serializers.CharField(help_text="The region's GSS code, e.g. E12000007.")
    region_slug = serializers.SerializerMethodField(
        help_text="The region as the filters take it (?region=london), or null."
    )
    region_name = serializers.CharField(source="get_region_display", help_text="e.g. London.")
    statistical_neighbours = serializers.SerializerMethodField(
        help_text="The slugs of the DfE's statistical neighbours, closest first "
        "(?neighbours_of= on /api/findings/ and /api/comparison/)."
    )

    class Meta:
        model = LocalAuthority
        fields = [
            "url", "slug", "name", "ons_code", "dfe_code", "ofsted_urn", "region",
            "region_slug", "region_name", "opened", "closed", "statistical_neighbours",
            "inspections",
        ]  # fmt: skip

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_region_slug(self, authority):
        return region_slug(authority.region) if authority.region else None

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_statistical_neighbours(self, authority):
        return [link.neighbour.slug for link in authority.neighbour_links.all()]


class JudgementSummarySerializer(serializers.Serializer):
    area = serializers.CharField(source="area.slug")
    name = serializers.CharField(source="area.name")
    framework = serializers.CharField(
        source="area.framework", help_text="ilacs, or sif: the framework that graded it."
    )
    grade = GradeSerializer()


class EarlierGradeSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="earlier_year")
    framework = serializers.CharField(source="earlier_framework")
    area = serializers.CharField(source="area.slug")
    grade = GradeSerializer()
    quotation = serializers.CharField(help_text="The report's words, verbatim.")


class InspectionSerializer(serializers.ModelSerializer):
    url = IdentityField("api:inspection-detail")
    web_url = WebLinkField()
    local_authority = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    judgements = JudgementSummarySerializer(many=True, read_only=True)
    summary = serializers.SlugRelatedField(
        source="summary_paragraphs", slug_field="text", many=True, read_only=True
    )
    earlier_grades = EarlierGradeSerializer(many=True, read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    attribution = serializers.CharField(read_only=True)
    findings = ListLinkField("api:finding-list", {"inspection": "slug"})
    improvement_actions = ListLinkField("api:action-list", {"inspection": "slug"})

    class Meta:
        model = Inspection
        fields = [
            "url", "web_url", "slug", "local_authority", "framework", "inspection_type",
            "start_date", "end_date", "dates_as_printed", "lead_inspector",
            "lead_inspector_title", "title", "publisher", "published_on", "source_url",
            "copyright_notice", "licence", "licence_url", "attribution", "judgements", "summary",
            "earlier_grades", "finding_count", "findings", "improvement_actions", "is_synthetic",
        ]  # fmt: skip


class ComparisonSerializer(serializers.ModelSerializer):
    """One row of the councils comparison: a council and the grades of its latest
    inspection held."""

    local_authority = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_authority_name = serializers.CharField(source="local_authority.name")
    inspection = IdentityField("api:inspection-detail")
    web_url = WebLinkField(help_text="The inspection's page.")
    grades = JudgementSummarySerializer(source="judgements", many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "local_authority", "local_authority_name", "inspection", "web_url", "slug",
            "start_date", "end_date", "grades", "is_synthetic",
        ]  # fmt: skip


class GlossaryTermSerializer(serializers.ModelSerializer):
    url = IdentityField("api:glossary-term-detail", {"abbreviation": "abbreviation"})

    class Meta:
        model = GlossaryTerm
        fields = ["url", "abbreviation", "expansion"]


class InspectionViewSet(ListRetrieveViewSet):
    """Every inspection held, newest first, with its grades and summary."""

    serializer_class = InspectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilterSet
    lookup_field, lookup_value_converter = "slug", "slug"
    queryset = selectors.with_report_details(selectors.for_listing()).order_by(
        "-start_date", "local_authority__name"
    )


def described(filterset):
    """The FilterSet's help texts as the OpenAPI descriptions of its parameters."""
    return extend_schema(
        parameters=[
            OpenApiParameter(name, str, description=f.extra["help_text"])
            for name, f in filterset.base_filters.items()
            if f.extra.get("help_text")
        ]
    )


@extend_schema_view(list=described(ComparisonFilterSet))
class ComparisonViewSet(ListViewSet):
    """Every local authority's latest ILACS inspection held, with its grades: the table of
    /local-authorities/, with its filters (`region`, `neighbours_of`, `grade`, `area`) and
    `sort`. `?neighbours_of=harrow` is Harrow and its statistical neighbours;
    `?region=london`, the councils of London."""

    serializer_class = ComparisonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComparisonFilterSet

    def get_queryset(self):
        return selectors.with_judgements(latest_inspections())


class LocalAuthorityViewSet(ListRetrieveViewSet):
    """Every local authority since 2009 (those since closed too, with `closed`), with
    the inspections held of each and its statistical neighbours."""

    serializer_class = LocalAuthoritySerializer
    lookup_field, lookup_value_converter = "slug", "slug"
    queryset = LocalAuthority.objects.prefetch_related(
        "inspections",
        Prefetch(
            "neighbour_links",
            queryset=StatisticalNeighbour.objects.select_related("neighbour").order_by("position"),
        ),
    ).order_by("name")


class GlossaryTermViewSet(ListRetrieveViewSet):
    """The abbreviations the reports use, and what they stand for."""

    serializer_class = GlossaryTermSerializer
    lookup_field, lookup_value_converter = "abbreviation", "str"
    queryset = GlossaryTerm.objects.order_by("abbreviation")


router = Router()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authority")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("glossary", GlossaryTermViewSet, basename="glossary-term")
router.register("comparison", ComparisonViewSet, basename="comparison")
