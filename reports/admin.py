from functools import partial

from django.contrib import admin
from django.db import models
from django.urls import path

from harrow_inspection.admin_forms import ReadOnlyAdmin, TabularInline
from judgements.models import Judgement
from reports.models import (
    DataVersion,
    GlossaryTerm,
    ImportLog,
    Inspection,
    LocalAuthority,
    LocalAuthorityAlias,
    StatisticalNeighbour,
    SummaryParagraph,
)


class JudgementInline(TabularInline):
    """The report's grades, on the inspection's own page (the judgement's model says what
    a wrong grade is told)."""

    model = Judgement
    fields = ["table_position", "area", "grade"]
    ordering = ["table_position"]
    extra = 0


class SummaryParagraphInline(admin.StackedInline):
    model = SummaryParagraph
    extra = 0


class LocalAuthorityAliasInline(TabularInline):
    model = LocalAuthorityAlias
    extra = 1
    fields = ["name", "key"]
    readonly_fields = ["key"]


class StatisticalNeighbourInline(TabularInline):
    model = StatisticalNeighbour
    fk_name = "authority"
    extra = 0
    autocomplete_fields = ["neighbour"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ons_code", "dfe_code", "ofsted_urn", "region", "closed"]
    list_filter = ["region"]
    search_fields = ["name", "slug", "ons_code", "dfe_code", "ofsted_urn", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["predecessors"]
    inlines = [LocalAuthorityAliasInline, StatisticalNeighbourInline]


@admin.register(StatisticalNeighbour)
class StatisticalNeighbourAdmin(admin.ModelAdmin):
    """The DfE's statistical neighbours of each council, in order (from the councils table)."""

    list_display = ["authority", "position", "neighbour"]
    list_select_related = ["authority", "neighbour"]
    search_fields = ["authority__name", "neighbour__name"]
    autocomplete_fields = ["authority", "neighbour"]


@admin.register(LocalAuthorityAlias)
class LocalAuthorityAliasAdmin(admin.ModelAdmin):
    """Other names reports print for a council: the importer resolves them (reports/councils.py)."""

    list_display = ["name", "authority", "key"]
    search_fields = ["name", "key", "authority__name"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    readonly_fields = ["key"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "start_date", "end_date", "framework", "lead_inspector"]
    list_filter = ["framework", "local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["slug", "local_authority__name", "lead_inspector"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["local_authority", "slug", "framework", "inspection_type"]}),
        (
            "Dates and inspector",
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "dates_as_printed",
                    "lead_inspector",
                    "lead_inspector_title",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "title",
                    "publisher",
                    "published_on",
                    "source_url",
                    "copyright_notice",
                    "licence",
                    "licence_url",
                ]
            },
        ),
        ("Import", {"fields": ["anomalies"]}),
    ]
    # What the importer found wrong in the report itself: a record, not for editing.
    readonly_fields = ["anomalies"]
    inlines = [JudgementInline, SummaryParagraphInline]
    # Addresses typed without a scheme are https (Django 6's default, without its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SummaryParagraph)
class SummaryParagraphAdmin(admin.ModelAdmin):
    list_display = ["inspection", "position", "text"]
    list_filter = ["inspection"]
    list_select_related = ["inspection__local_authority"]
    search_fields = ["text"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "expansion"]
    search_fields = ["abbreviation", "expansion"]


@admin.register(DataVersion)
class DataVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the database counts changes itself (for the API's caching headers)."""

    list_display = ["version", "changed_at"]


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    """Every attempt to import a report file, whatever its outcome: read-only."""

    list_display = ["created_at", "file_name", "outcome", "inspection", "user"]
    list_filter = ["outcome", "parser_version"]
    search_fields = ["file_name", "sha256", "message"]
    # Who imported, as text: the admin's read-only field would link to the person's
    # page, which only superusers may open.
    exclude = ["user"]
    readonly_fields = ["imported_by"]

    @admin.display(description="imported by")
    def imported_by(self, log):
        user = log.user
        return (user.get_full_name() or user.get_username()) if user else "(not recorded)"

    def get_urls(self):
        from reports.importing.upload import upload_view

        upload = path(
            "import/",
            self.admin_site.admin_view(partial(upload_view, self)),
            name="reports_importlog_upload",
        )
        return [upload, *super().get_urls()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
