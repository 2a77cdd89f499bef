from django.contrib import admin
from django.db.models import Count

from judgements.models import (
    EarlierGrade,
    EvidenceLink,
    Finding,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceArea,
    ServiceAreaTag,
    TaggingRule,
)


class ServiceAreaTagInline(admin.TabularInline):
    model = ServiceAreaTag
    autocomplete_fields = ["service_area"]
    extra = 1
    verbose_name = "service area"
    verbose_name_plural = "service areas (what this paragraph is substantially about)"


class ActionsEvidencedInline(admin.TabularInline):
    """On a finding's page: the improvement actions it is evidence for."""

    model = EvidenceLink
    fk_name = "finding"
    autocomplete_fields = ["action"]
    extra = 0
    verbose_name = "improvement action this paragraph is evidence for"
    verbose_name_plural = "improvement actions this paragraph is evidence for"


class EvidenceInline(admin.TabularInline):
    """On an improvement action's page: the findings that evidence it."""

    model = EvidenceLink
    fk_name = "action"
    autocomplete_fields = ["finding"]
    extra = 1
    verbose_name = "evidence paragraph"
    verbose_name_plural = "evidence: the paragraphs that show why this needs to improve"


class JudgementInline(admin.TabularInline):
    model = Judgement
    fields = ["table_position", "area", "grade"]
    ordering = ["table_position"]
    extra = 0


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["number", "excerpt", "judgement_area", "service_area_names", "inspection"]
    list_display_links = ["number", "excerpt"]
    list_filter = ["inspection", "judgement__area", "service_areas"]
    list_select_related = ["inspection__local_authority", "judgement__area"]
    ordering = ["inspection", "number"]
    search_fields = ["text"]
    autocomplete_fields = ["judgement"]
    fields = ["inspection", "number", "judgement", "text"]
    inlines = [ServiceAreaTagInline, ActionsEvidencedInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("service_areas")

    def get_search_results(self, request, queryset, search_term):
        """Search the text, and "12" finds paragraph 12 (as the autocomplete does)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip().isdigit():
            queryset |= self.model.objects.filter(number=int(search_term))
        return queryset, may_have_duplicates

    @admin.display(description="judgement area", ordering="judgement__area__position")
    def judgement_area(self, finding):
        return finding.judgement.area

    @admin.display(description="service areas")
    def service_area_names(self, finding):
        return ", ".join(area.name for area in finding.service_areas.all())

    @admin.display(description="text")
    def excerpt(self, finding):
        return finding.text if len(finding.text) <= 120 else finding.text[:117] + "…"


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["position", "inspection", "text", "evidence_paragraphs"]
    list_display_links = ["position", "text"]
    list_filter = ["inspection"]
    list_select_related = ["inspection__local_authority"]
    search_fields = ["text"]
    ordering = ["inspection", "position"]
    fields = ["inspection", "position", "text"]
    inlines = [EvidenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("evidence")

    @admin.display(description="evidence (paragraphs)")
    def evidence_paragraphs(self, action):
        return ", ".join(str(finding.number) for finding in action.evidence.all())


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "finding_count", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(finding_count=Count("tags"))

    @admin.display(description="findings", ordering="finding_count")
    def finding_count(self, area):
        return area.finding_count


@admin.register(JudgementArea)
class JudgementAreaAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug", "position"]
    search_fields = ["name", "short_name"]


@admin.register(Judgement)
class JudgementAdmin(admin.ModelAdmin):
    list_display = ["area", "inspection", "grade"]
    list_filter = ["inspection", "area", "grade"]
    list_select_related = ["inspection__local_authority", "area"]
    search_fields = ["area__name", "inspection__local_authority__name", "inspection__slug"]


@admin.register(ServiceAreaTag)
class ServiceAreaTagAdmin(admin.ModelAdmin):
    list_display = ["finding", "service_area"]
    list_filter = ["service_area", "finding__inspection"]
    list_select_related = ["finding__inspection", "service_area"]
    autocomplete_fields = ["finding", "service_area"]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(admin.ModelAdmin):
    list_display = ["action", "finding"]
    list_filter = ["action__inspection"]
    list_select_related = ["action__inspection", "finding__inspection"]
    autocomplete_fields = ["action", "finding"]


@admin.register(EarlierGrade)
class EarlierGradeAdmin(admin.ModelAdmin):
    list_display = ["inspection", "earlier_year", "earlier_framework", "area", "grade"]
    list_select_related = ["inspection__local_authority", "area"]
    autocomplete_fields = ["inspection", "earlier_inspection"]


@admin.register(TaggingRule)
class TaggingRuleAdmin(admin.ModelAdmin):
    """The keyword rulebook that tags imported findings automatically."""

    list_display = ["pattern", "service_area"]
    list_filter = ["service_area"]
    search_fields = ["pattern"]
