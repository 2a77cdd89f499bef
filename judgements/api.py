"""Read-only API for judgements, findings, improvement actions and service areas:
viewsets on this app's router, included under /api/ by harrow_inspection/urls.py."""

import django_filters
from django.db.models import Count, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from harrow_inspection.api import (
    IdentityField,
    ListLinkField,
    ListRetrieveViewSet,
    ListViewSet,
    MultiLookupMixin,
    RetrieveViewSet,
    Router,
    WebLinkField,
    numbered_choice_serializer,
)
from harrow_inspection.filters import SlugListFilter, SlugMultipleChoiceFilter
from judgements.filters import FindingFilterSet
from judgements.models import (
    GRADE_NUMBER_HELP,
    EvidenceLink,
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceArea,
)
from reports.models import Inspection

GradeSerializer = numbered_choice_serializer(Grade, GRADE_NUMBER_HELP)


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudgementArea
        fields = ["slug", "name", "short_name", "framework", "judged"]


class JudgementSerializer(serializers.ModelSerializer):
    url = IdentityField("api:judgement-detail", {"slug": "inspection.slug", "area": "area.slug"})
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = AreaSerializer(read_only=True)
    grade = GradeSerializer(read_only=True)
    findings = ListLinkField(
        "api:finding-list",
        {"inspection": "inspection.slug", "judgement_area": "area.slug"},
        help_text="Its findings, in the API.",
    )

    class Meta:
        model = Judgement
        fields = ["url", "inspection", "area", "grade", "table_position", "findings"]


class TagSerializer(serializers.Serializer):
    service_area = serializers.CharField(source="service_area.slug")
    confirmed = serializers.BooleanField(
        help_text="False: made by the automatic tagger, not yet checked by staff."
    )


class LinkSerializer(serializers.Serializer):
    paragraph = serializers.IntegerField(source="finding.number")
    confirmed = serializers.BooleanField(
        help_text="False: made by the automatic linker, not yet checked by staff."
    )


def attribution_field():
    """The report's Open Government Licence attribution, on every object holding its
    words (as the CSV's column and the feeds' rights)."""
    return serializers.CharField(
        source="inspection.attribution",
        read_only=True,
        help_text="The Open Government Licence's attribution for the report's words, "
        "to give wherever they are re-used.",
    )


class FindingSerializer(serializers.ModelSerializer):
    url = IdentityField("api:finding-detail", {"slug": "inspection.slug", "number": "number"})
    web_url = WebLinkField(help_text="The paragraph's permanent page.")
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_authority = serializers.CharField(source="inspection.local_authority.slug")
    judgement_area = AreaSerializer(source="judgement.area", read_only=True)
    grade = GradeSerializer(source="judgement.grade", read_only=True)
    service_areas = serializers.SerializerMethodField(
        help_text="Slugs of its service areas, confirmed by staff or not (see service_area_tags)."
    )
    service_area_tags = serializers.SerializerMethodField(
        help_text="Each service area with whether a person made or confirmed the tag "
        "(confirmed: true) or the automatic tagger made it and nobody has checked it yet."
    )
    improvement_actions = serializers.SerializerMethodField(
        help_text="Positions of the improvement actions this paragraph is evidence for."
    )
    is_synthetic = serializers.BooleanField(
        source="inspection.is_synthetic",
        read_only=True,
        help_text="True for made-up load-testing data: not from a real report.",
    )
    attribution = attribution_field()

    class Meta:
        model = Finding
        fields = [
            "url", "web_url", "inspection", "local_authority", "number", "judgement_area",
            "grade", "service_areas", "service_area_tags", "text", "improvement_actions",
            "is_synthetic", "attribution",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_service_areas(self, finding):
        return [tag.service_area.slug for tag in finding.area_tags]

    @extend_schema_field(TagSerializer(many=True))
    def get_service_area_tags(self, finding):
        return TagSerializer(finding.area_tags, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_improvement_actions(self, finding):
        return [action.position for action in finding.improvement_actions.all()]


class PublicPlanSerializer(serializers.Serializer):
    """What the public may see of an action plan: never its owner or progress notes."""

    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    target_date = serializers.DateField()


class ImprovementActionSerializer(serializers.ModelSerializer):
    url = IdentityField("api:action-detail", {"slug": "inspection.slug", "position": "position"})
    inspection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    evidence = serializers.SerializerMethodField(
        help_text="Paragraph numbers of the findings that evidence this action."
    )
    evidence_links = serializers.SerializerMethodField(
        help_text="Each evidence paragraph with whether a person made or confirmed the "
        "link (confirmed: true) or the automatic linker made it and nobody has checked it."
    )
    action_plan = serializers.SerializerMethodField(
        help_text="The council's published status and target date, or null."
    )
    attribution = attribution_field()

    class Meta:
        model = ImprovementAction
        fields = [
            "url", "inspection", "position", "text", "sub_points", "framework_reference",
            "footnotes", "addressed_to", "evidence", "evidence_links", "action_plan",
            "attribution",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_evidence(self, action):
        return sorted(link.finding.number for link in action.evidence_links.all())

    @extend_schema_field(LinkSerializer(many=True))
    def get_evidence_links(self, action):
        links = sorted(action.evidence_links.all(), key=lambda link: link.finding.number)
        return LinkSerializer(links, many=True).data

    @extend_schema_field(PublicPlanSerializer(allow_null=True))
    def get_action_plan(self, action):
        plan = getattr(action, "plan", None)
        return PublicPlanSerializer(plan).data if plan else None


class ServiceAreaSerializer(serializers.ModelSerializer):
    url = IdentityField("api:service-area-detail")
    finding_count = serializers.IntegerField(read_only=True)
    findings = ListLinkField(
        "api:finding-list", {"service_area": "slug"}, help_text="Its findings, in the API."
    )

    class Meta:
        model = ServiceArea
        fields = ["url", "slug", "name", "description", "finding_count", "findings"]


class JudgementFilterSet(django_filters.FilterSet):
    inspection = SlugMultipleChoiceFilter(
        field_name="inspection__slug",
        queryset=Inspection.objects,
        help_text="An inspection's slug, e.g. harrow-2020-02; repeat for several.",
    )
    area = SlugMultipleChoiceFilter(
        field_name="area__slug",
        queryset=JudgementArea.objects,
        help_text="A judgement area's slug, e.g. care-leavers; repeat for several.",
    )
    grade = SlugListFilter(
        choices=[(grade.slug, grade.label) for grade in Grade],
        method="filter_grade",
        help_text="A grade's slug (not its number); repeat for several.",
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
        help_text="An inspection's slug, e.g. harrow-2020-02; repeat for several.",
    )

    class Meta:
        model = ImprovementAction
        fields = []


def findings():
    return Finding.objects.with_context().prefetch_related(
        Prefetch("improvement_actions", queryset=ImprovementAction.objects.only("position"))
    )


def judgements():
    return Judgement.objects.select_related("inspection", "area").order_by(
        "-inspection__start_date", "inspection_id", "table_position"
    )


def actions():
    return (
        ImprovementAction.objects.select_related("inspection", "plan")
        .prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.select_related("finding").only(
                    "action_id", "confirmed", "finding__number"
                ),
            )
        )
        .order_by("-inspection__start_date", "inspection_id", "position")
    )


class FindingViewSet(ListViewSet):
    """Numbered paragraphs of the reports. The filters are the website's: the same query
    string gives the same findings in the same order."""

    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return findings()


class InspectionFindingViewSet(MultiLookupMixin, RetrieveViewSet):
    """One numbered paragraph, by its report and the number printed beside it."""

    serializer_class = FindingSerializer
    lookups = {"slug": "inspection__slug", "number": "number"}
    lookup_field, lookup_value_converter = "number", "int"

    def get_queryset(self):
        return findings()


class JudgementViewSet(ListViewSet):
    """Every grade given: one per judgement area per inspection."""

    serializer_class = JudgementSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JudgementFilterSet
    queryset = judgements()


class InspectionJudgementViewSet(MultiLookupMixin, RetrieveViewSet):
    """One grade: a report's judgement in one area."""

    serializer_class = JudgementSerializer
    lookups = {"slug": "inspection__slug", "area": "area__slug"}
    lookup_field, lookup_value_converter = "area", "slug"
    queryset = judgements()


class ImprovementActionViewSet(ListViewSet):
    """The "What needs to improve" points of every report, with their evidence."""

    serializer_class = ImprovementActionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilterSet
    queryset = actions()


class InspectionImprovementActionViewSet(MultiLookupMixin, RetrieveViewSet):
    """One "What needs to improve" point, by its report and its place in the list."""

    serializer_class = ImprovementActionSerializer
    lookups = {"slug": "inspection__slug", "position": "position"}
    lookup_field, lookup_value_converter = "position", "int"
    queryset = actions()


class ServiceAreaViewSet(ListRetrieveViewSet):
    """The service-area taxonomy, with how many findings each has."""

    serializer_class = ServiceAreaSerializer
    lookup_field, lookup_value_converter = "slug", "slug"
    queryset = ServiceArea.objects.annotate(finding_count=Count("tags")).order_by("position")


IN_AN_INSPECTION = "inspections/<slug:slug>"

router = Router()
router.register("findings", FindingViewSet, basename="finding")
router.register(f"{IN_AN_INSPECTION}/findings", InspectionFindingViewSet, basename="finding")
router.register("judgements", JudgementViewSet, basename="judgement")
router.register(f"{IN_AN_INSPECTION}/judgements", InspectionJudgementViewSet, basename="judgement")
router.register("improvement-actions", ImprovementActionViewSet, basename="action")
router.register(
    f"{IN_AN_INSPECTION}/improvement-actions",
    InspectionImprovementActionViewSet,
    basename="action",
)
router.register("service-areas", ServiceAreaViewSet, basename="service-area")
