"""Admin pages for the importer's models (the import log, read-only, and the tagging
rulebook), registered from ReportsConfig.ready so the apps' admin modules stay as they are."""

from django.contrib import admin

from judgements.models import TaggingRule
from reports.models import ImportLog


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "outcome", "inspection", "user"]
    list_filter = ["outcome", "parser_version"]
    search_fields = ["file_name", "sha256", "message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaggingRule)
class TaggingRuleAdmin(admin.ModelAdmin):
    list_display = ["pattern", "service_area"]
    list_filter = ["service_area"]
    search_fields = ["pattern"]
