"""Read-only API for local authorities, inspections and the glossary."""

import django_filters
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from harrow_inspection.api import Cached, Pagination
from judgements.api import GradeSerializer, absolute
from judgements.filters import SlugMultipleChoiceFilter
from reports.models import Framework, GlossaryTerm, Inspection, LocalAuthority


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request):
    """The API's entry points. Documentation: /api/docs/; OpenAPI schema: /api/schema/."""
    names = [
        "local-authority-list", "inspection-list", "judgement-list", "finding-list",
        "action-list", "service-area-list", "glossary-list", "schema", "docs",
    ]  # fmt: skip
    return Response({name.removesuffix("-list"): absolute(request, name) for name in names})


class LocalAuthoritySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    inspections = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = LocalAuthority
        fields = [
            "url", "slug", "name", "ons_code", "dfe_code", "ofsted_urn", "region", "opened",
            "closed", "inspections",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, authority):
        return absolute(self.context["request"], "local-authority", slug=authority.slug)


class JudgementSummarySerializer(serializers.Serializer):
    area = serializers.CharField(source="area.slug")
    name = serializers.CharField(source="area.name")
    grade = GradeSerializer()


class EarlierGradeSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="earlier_year")
    framework = serializers.CharField(source="earlier_framework")
    area = serializers.CharField(source="area.slug")
    grade = GradeSerializer()
    quotation = serializers.CharField(help_text="The report's words, verbatim.")


class InspectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    local_authority = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    judgements = JudgementSummarySerializer(many=True, read_only=True)
    summary = serializers.SlugRelatedField(
        source="summary_paragraphs", slug_field="text", many=True, read_only=True
    )
    earlier_grades = EarlierGradeSerializer(many=True, read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    attribution = serializers.CharField(read_only=True)
    findings = serializers.SerializerMethodField()
    improvement_actions = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "url", "web_url", "slug", "local_authority", "framework", "inspection_type",
            "start_date", "end_date", "lead_inspector", "lead_inspector_title", "title",
            "publisher", "published_on", "source_url", "copyright_notice", "licence",
            "licence_url", "attribution", "judgements", "summary", "earlier_grades",
            "finding_count", "findings", "improvement_actions", "is_synthetic",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, inspection):
        return absolute(self.context["request"], "inspection", slug=inspection.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, inspection):
        return self.context["request"].build_absolute_uri(inspection.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_findings(self, inspection):
        return absolute(self.context["request"], "finding-list") + f"?inspection={inspection.slug}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_improvement_actions(self, inspection):
        request = self.context["request"]
        return absolute(request, "action-list") + f"?inspection={inspection.slug}"


class GlossaryTermSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = GlossaryTerm
        fields = ["url", "abbreviation", "expansion"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, term):
        return absolute(self.context["request"], "glossary-term", abbreviation=term.abbreviation)


class InspectionFilterSet(django_filters.FilterSet):
    local_authority = SlugMultipleChoiceFilter(
        field_name="local_authority__slug", queryset=LocalAuthority.objects.all()
    )
    framework = django_filters.MultipleChoiceFilter(choices=Framework.choices)

    class Meta:
        model = Inspection
        fields = []


def inspections():
    return (
        Inspection.objects.for_listing()
        .with_report_details()
        .order_by("-start_date", "local_authority__name")
    )


class InspectionList(Cached, generics.ListAPIView):
    """Every inspection held, newest first, with its grades and summary."""

    serializer_class = InspectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilterSet
    pagination_class = Pagination
    queryset = inspections()


class InspectionDetail(Cached, generics.RetrieveAPIView):
    serializer_class = InspectionSerializer
    lookup_field = "slug"
    queryset = inspections()


def local_authorities():
    return LocalAuthority.objects.prefetch_related("inspections").order_by("name")


class LocalAuthorityList(Cached, generics.ListAPIView):
    serializer_class = LocalAuthoritySerializer
    pagination_class = Pagination
    queryset = local_authorities()


class LocalAuthorityDetail(Cached, generics.RetrieveAPIView):
    serializer_class = LocalAuthoritySerializer
    lookup_field = "slug"
    queryset = local_authorities()


class GlossaryList(Cached, generics.ListAPIView):
    serializer_class = GlossaryTermSerializer
    pagination_class = Pagination
    queryset = GlossaryTerm.objects.order_by("abbreviation")


class GlossaryDetail(Cached, generics.RetrieveAPIView):
    serializer_class = GlossaryTermSerializer

    def get_object(self):
        return get_object_or_404(GlossaryTerm, abbreviation=self.kwargs["abbreviation"])
