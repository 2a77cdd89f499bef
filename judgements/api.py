"""Read-only API for judgements, findings, improvement actions and service areas."""

import django_filters
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from harrow_inspection.api import Cached, Pagination
from judgements.filters import FindingFilterSet, SlugMultipleChoiceFilter
from judgements.models import (
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceArea,
)
from reports.models import Inspection


def absolute(request, name, **kwargs):
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


class GradeSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Ofsted's grade number: 1 is the best.")
    slug = serializers.CharField()
    label = serializers.CharField()

    def to_representation(self, grade):
        grade = Grade(grade)
        return {"number": grade.value, "slug": grade.slug, "label": grade.label}


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudgementArea
        fields = ["slug", "name", "short_name"]


class JudgementSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = AreaSerializer(read_only=True)
    grade = GradeSerializer(read_only=True)
    findings = serializers.SerializerMethodField(help_text="Its findings, in the API.")

    class Meta:
        model = Judgement
        fields = ["url", "inspection", "area", "grade", "table_position", "findings"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, judgement):
        return absolute(
            self.context["request"],
            "judgement",
            slug=judgement.inspection.slug,
            area=judgement.area.slug,
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_findings(self, judgement):
        return (
            absolute(self.context["request"], "finding-list")
            + f"?inspection={judgement.inspection.slug}&judgement_area={judgement.area.slug}"
        )


class FindingSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField(help_text="The paragraph's permanent page.")
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_authority = serializers.CharField(source="inspection.local_authority.slug")
    judgement_area = AreaSerializer(source="judgement.area", read_only=True)
    grade = GradeSerializer(source="judgement.grade", read_only=True)
    service_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    improvement_actions = serializers.SerializerMethodField(
        help_text="Positions of the improvement actions this paragraph is evidence for."
    )
    is_synthetic = serializers.BooleanField(
        source="inspection.is_synthetic",
        read_only=True,
        help_text="True for made-up load-testing data: not from a real report.",
    )

    class Meta:
        model = Finding
        fields = [
            "url", "web_url", "inspection", "local_authority", "number", "judgement_area",
            "grade", "service_areas", "text", "improvement_actions", "is_synthetic",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, finding):
        return absolute(
            self.context["request"], "finding", slug=finding.inspection.slug, number=finding.number
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, finding):
        return self.context["request"].build_absolute_uri(finding.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_improvement_actions(self, finding):
        return [action.position for action in finding.improvement_actions.all()]


class PublicPlanSerializer(serializers.Serializer):
    """What the public may see of an action plan: never its owner or progress notes."""

    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    target_date = serializers.DateField()


class ImprovementActionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    evidence = serializers.SerializerMethodField(
        help_text="Paragraph numbers of the findings that evidence this action."
    )
    action_plan = serializers.SerializerMethodField(
        help_text="The council's published status and target date, or null."
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "url", "inspection", "position", "text", "sub_points", "framework_reference",
            "footnotes", "evidence", "action_plan",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, action):
        return absolute(
            self.context["request"],
            "action",
            slug=action.inspection.slug,
            position=action.position,
        )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_evidence(self, action):
        return sorted(finding.number for finding in action.evidence.all())

    @extend_schema_field(PublicPlanSerializer(allow_null=True))
    def get_action_plan(self, action):
        plan = getattr(action, "plan", None)
        return PublicPlanSerializer(plan).data if plan else None


class ServiceAreaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    finding_count = serializers.IntegerField(read_only=True)
    findings = serializers.SerializerMethodField(help_text="Its findings, in the API.")

    class Meta:
        model = ServiceArea
        fields = ["url", "slug", "name", "description", "finding_count", "findings"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, area):
        return absolute(self.context["request"], "service-area", slug=area.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_findings(self, area):
        return absolute(self.context["request"], "finding-list") + f"?service_area={area.slug}"


class JudgementFilterSet(django_filters.FilterSet):
    inspection = SlugMultipleChoiceFilter(
        field_name="inspection__slug", queryset=Inspection.objects
    )
    area = SlugMultipleChoiceFilter(field_name="area__slug", queryset=JudgementArea.objects)
    grade = django_filters.MultipleChoiceFilter(
        choices=[(grade.slug, grade.label) for grade in Grade], method="filter_grade"
    )

    class Meta:
        model = Judgement
        fields = []

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade__in=[Grade.from_slug(slug) for slug in value])


class ActionFilterSet(django_filters.FilterSet):
    inspection = SlugMultipleChoiceFilter(
        field_name="inspection__slug",
        queryset=Inspection.objects,
    )

    class Meta:
        model = ImprovementAction
        fields = []


def findings_with_actions(queryset):
    return queryset.prefetch_related(
        Prefetch("improvement_actions", queryset=ImprovementAction.objects.only("position"))
    )


class FindingList(Cached, generics.ListAPIView):
    """Numbered paragraphs of the reports. The filters are the website's: the same query
    string gives the same findings in the same order."""

    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilterSet
    pagination_class = Pagination

    def get_queryset(self):
        return findings_with_actions(Finding.objects.with_context())


class FindingDetail(Cached, generics.RetrieveAPIView):
    serializer_class = FindingSerializer

    def get_object(self):
        return get_object_or_404(
            findings_with_actions(Finding.objects.with_context()),
            inspection__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )


def judgements():
    return Judgement.objects.select_related("inspection", "area").order_by(
        "-inspection__start_date", "inspection_id", "table_position"
    )


class JudgementList(Cached, generics.ListAPIView):
    """Every grade given: one per judgement area per inspection."""

    serializer_class = JudgementSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JudgementFilterSet
    pagination_class = Pagination
    queryset = judgements()


class JudgementDetail(Cached, generics.RetrieveAPIView):
    serializer_class = JudgementSerializer

    def get_object(self):
        return get_object_or_404(
            judgements(), inspection__slug=self.kwargs["slug"], area__slug=self.kwargs["area"]
        )


def actions():
    return (
        ImprovementAction.objects.select_related("inspection", "plan")
        .prefetch_related(Prefetch("evidence", queryset=Finding.objects.only("number")))
        .order_by("-inspection__start_date", "inspection_id", "position")
    )


class ImprovementActionList(Cached, generics.ListAPIView):
    """The "What needs to improve" points of every report, with their evidence."""

    serializer_class = ImprovementActionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilterSet
    pagination_class = Pagination
    queryset = actions()


class ImprovementActionDetail(Cached, generics.RetrieveAPIView):
    serializer_class = ImprovementActionSerializer

    def get_object(self):
        return get_object_or_404(
            actions(), inspection__slug=self.kwargs["slug"], position=self.kwargs["position"]
        )


def service_areas():
    return ServiceArea.objects.annotate(finding_count=Count("tags")).order_by("position")


class ServiceAreaList(Cached, generics.ListAPIView):
    """The service-area taxonomy, with how many findings each has."""

    serializer_class = ServiceAreaSerializer
    pagination_class = Pagination
    queryset = service_areas()


class ServiceAreaDetail(Cached, generics.RetrieveAPIView):
    serializer_class = ServiceAreaSerializer
    lookup_field = "slug"
    queryset = service_areas()
