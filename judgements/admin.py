from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from harrow_inspection.admin_forms import ReadOnlyAdmin, TabularInline
from judgements import review_admin
from judgements.action_plan import (
    OverdueFilter,
    OwnerFilter,
    PlanColumns,
    PlanStatusFilter,
    WhichInspection,
    bulk_assign,
    csv_filename,
    plan_csv,
    with_plan_columns,
)
from judgements.admin_tools import HistoryAdmin, VersionCheckedAdmin, VersionCheckedForm
from judgements.editing import (
    finding_rows_at,
    restorable_findings,
    restore_finding,
    restore_finding_rows,
)
from judgements.models import (
    ActionPlan,
    EarlierGrade,
    EvidenceLink,
    Finding,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ProgressUpdate,
    ReviewDecision,
    ServiceArea,
    ServiceAreaTag,
    TaggingRule,
    WordsChange,
)


class NoRepeatedRows(forms.BaseInlineFormSet):
    """Says in words which row is repeated, instead of the field's code name, and which
    row someone else removed while this form was open."""

    repeated_message = "The same row is there twice: remove one of them."
    row_name = "a row"

    def get_unique_error_message(self, unique_check):
        return self.repeated_message

    def describe(self, form):
        return self.row_name

    def vanished_forms(self):
        """The rows that were in the form when it was opened and are gone from the
        database now (Django finds no record for their hidden id), unless the person has
        ticked them for deletion too."""
        return [
            form
            for form in self.initial_forms
            if form.instance.pk is None and not self._should_delete_form(form)
        ]

    def clean(self):
        vanished = self.vanished_forms()
        if vanished:
            # Tick "delete" on those rows, so that the form shown again (and saved again)
            # matches the database; the person decides whether to add them back.
            messages = [
                f"Not saved: someone else removed {self.describe(form)} after you opened "
                "this page. It is shown ticked for deletion below; if it should stay, add "
                "it again in an empty row. Then save again."
                for form in vanished
            ]
            self.data = self.data.copy()
            for form in vanished:
                self.data[form.add_prefix("DELETE")] = "on"
            for form in self.forms:
                form.data = self.data
            raise ValidationError(messages)
        super().clean()


class EvidenceFormSet(NoRepeatedRows):
    repeated_message = "That paragraph and action are linked twice: remove one of the rows."
    row_name = "an evidence link"

    def save_existing(self, form, obj, commit=True):
        obj.confirmed = True  # a person changed it here: checked, as in the review queue
        return super().save_existing(form, obj, commit)


class AtLeastOneServiceArea(NoRepeatedRows):
    """A finding must keep at least one service-area tag: the public filters rely on it."""

    repeated_message = "That service area is there twice: remove one of the rows."

    def describe(self, form):
        area = ServiceArea.objects.filter(pk=form.data.get(form.add_prefix("service_area")))
        name = area.values_list("name", flat=True).first()
        return f"the service area “{name}”" if name else "a service area"

    def save_existing(self, form, obj, commit=True):
        # A person changed it here: it is now theirs, checked (the review queue's rule).
        obj.confirmed = True
        return super().save_existing(form, obj, commit)

    def clean(self):
        super().clean()
        if any(self.errors) or getattr(self.instance, "no_service_area", False):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("service_area") and not self._should_delete_form(form)
        ]
        if not kept:
            raise ValidationError(
                "Choose at least one service area: what this paragraph is substantially "
                "about. A paragraph with none would disappear from every service-area filter."
            )


class ServiceAreaTagInline(TabularInline):
    model = ServiceAreaTag
    formset = AtLeastOneServiceArea
    autocomplete_fields = ["service_area"]
    readonly_fields = ["source", "confirmed"]
    min_num = 1
    extra = 1
    verbose_name = "service area"

    def get_min_num(self, request, obj=None, **kwargs):
        # A paragraph staff decided fits none of the areas (the review queue's "None of
        # these") has no row to fill: its text must stay correctable without a tag.
        if obj is not None and obj.no_service_area:
            return 0
        return super().get_min_num(request, obj, **kwargs)

    verbose_name_plural = "service areas (what this paragraph is substantially about)"


class ActionsEvidencedInline(TabularInline):
    """On a finding's page: the improvement actions it is evidence for."""

    model = EvidenceLink
    formset = EvidenceFormSet
    fk_name = "finding"
    autocomplete_fields = ["action"]
    readonly_fields = ["source", "confirmed"]
    extra = 0
    verbose_name = "improvement action this paragraph is evidence for"
    verbose_name_plural = "improvement actions this paragraph is evidence for"


class EvidenceInline(TabularInline):
    """On an improvement action's page: the findings that evidence it."""

    model = EvidenceLink
    formset = EvidenceFormSet
    fk_name = "action"
    autocomplete_fields = ["finding"]
    readonly_fields = ["source", "confirmed"]
    extra = 1
    verbose_name = "evidence paragraph"
    verbose_name_plural = "evidence: the paragraphs that show why this needs to improve"


class FindingForm(VersionCheckedForm):
    record_name = "paragraph"

    class Meta:
        model = Finding
        fields = ["inspection", "number", "judgement", "text"]
        error_messages = {
            "text": {"required": "Write the paragraph's text: it cannot be empty."},
            "number": {"required": "Give the paragraph's number, as in the report."},
        }


def change_verb(record, before):
    """What a tag's or evidence link's history record did, in staff's words: a change
    that only ticked `confirmed` is a confirmation (in the review queue, or the whole
    report at once), not a bare "Changed"."""
    confirmed = (
        record.history_type == "~"
        and before is not None
        and record.confirmed
        and record.diff_against(before).changed_fields == ["confirmed"]
    )
    return "Confirmed" if confirmed else record.get_history_type_display()


@admin.register(Finding)
class FindingAdmin(VersionCheckedAdmin):
    form = FindingForm
    object_history_template = "admin/judgements/finding/object_history.html"
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

    def get_urls(self):
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name="judgements_finding_deleted",
        )
        return [deleted, *super().get_urls()]

    def deleted_view(self, request):
        """Deleted findings, each with a Restore button that brings back its tags too."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_restore = self.has_add_permission(request)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            deletion = get_object_or_404(
                Finding.history.filter(history_type="-"), history_id=request.POST.get("history_id")
            )
            try:
                finding, restored = restore_finding(deletion=deletion, user=request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:judgements_finding_deleted")
            self.message_user(
                request,
                f"Restored {finding} with {len(restored)} service-area tag(s) and evidence "
                "link(s) it had when deleted.",
                messages.SUCCESS,
            )
            return redirect("admin:judgements_finding_change", finding.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted findings",
            "opts": self.model._meta,
            "deletions": restorable_findings(),
            "may_restore": may_restore,
        }
        return TemplateResponse(request, "admin/judgements/finding/deleted.html", context)

    def history_view(self, request, object_id, extra_context=None):
        related = []
        for model, label in [(ServiceAreaTag, "service area"), (EvidenceLink, "evidence for")]:
            records = model.history.filter(finding_id=object_id).select_related("history_user")
            before = {}  # each tag's or link's version before, to name what a change did
            for record in records.order_by("history_date", "history_id"):
                related.append((record, label, change_verb(record, before.get(record.id))))
                before[record.id] = record
        related.sort(key=lambda row: row[0].history_date, reverse=True)
        extra_context = {**(extra_context or {}), "related_history": related}
        return super().history_view(request, object_id, extra_context)

    def version_rows(self, record):
        """A finding version's service areas and evidence links, which a revert restores."""
        rows = []
        for model, was, describe in finding_rows_at(record):
            names = sorted(describe(row) for row in was.values())
            heading = (
                "Service areas at this version"
                if model is ServiceAreaTag
                else "Evidence for improvement actions at this version"
            )
            rows.append((heading, names))
        return rows

    def restore_rows(self, request, obj, record):
        return restore_finding_rows(
            finding=obj,
            record=record,
            user=request.user,
            reason="Restored by reverting its paragraph to an earlier version",
        )

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
class ImprovementActionAdmin(PlanColumns, HistoryAdmin):
    """Every improvement action with its plan, or none: the action plan as a working
    list (judgements/action_plan.py), each council's latest inspection unless asked."""

    list_display = [
        "position",
        "council_inspection",
        "action_text",
        "plan_owner",
        "plan_status",
        "plan_target",
        "last_update",
        "overdue",
    ]
    list_display_links = ["position", "action_text"]
    list_filter = [
        WhichInspection,
        ("inspection__local_authority", admin.RelatedOnlyFieldListFilter),
        PlanStatusFilter,
        OverdueFilter,
        OwnerFilter,
    ]
    search_fields = ["text", "plan__owner"]
    ordering = ["inspection__local_authority__name", "-inspection__start_date", "position"]
    fields = ["inspection", "position", "text", "action_plan"]
    readonly_fields = ["action_plan"]
    inlines = [EvidenceInline]
    actions = ["assign_owner_and_status"]

    def get_queryset(self, request):
        return with_plan_columns(super().get_queryset(request))

    def get_urls(self):
        csv_url = path(
            "plan.csv",
            self.admin_site.admin_view(self.plan_csv_view),
            name="judgements_improvementaction_plan_csv",
        )
        return [csv_url, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "The action plan: every improvement action, with its plan or none",
            "csv_query": request.GET.urlencode(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def plan_csv_view(self, request):
        """The list as it is filtered, as a CSV for the council's own reporting."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return plan_csv(changelist.get_queryset(request), csv_filename(request))

    def has_assign_permission(self, request):
        return request.user.has_perm("judgements.change_actionplan")

    @admin.action(
        description="Assign an owner and status to the selected actions",
        permissions=["assign"],
    )
    def assign_owner_and_status(self, request, queryset):
        return bulk_assign(self, request, queryset)

    @admin.display(description="action plan")
    def action_plan(self, action):
        plan = getattr(action, "plan", None) if action.pk else None
        if plan is None:
            # the add form with this action chosen, not a search among thousands
            add = reverse("admin:judgements_actionplan_add") + f"?action={action.pk}"
            return format_html('No action plan yet: <a href="{}">add one</a>', add)
        url = reverse("admin:judgements_actionplan_change", args=[plan.pk])
        return format_html(
            '<a href="{}">{}, target {}</a>',
            url,
            plan.get_status_display(),
            date_format(plan.target_date, "j F Y"),
        )


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "finding_count", "description"]
    search_fields = ["name", "slug"]  # the tag autocomplete: names, not descriptions
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # An aggregating query ignores Meta.ordering: say it, or pages come out unordered.
        return (
            super()
            .get_queryset(request)
            .annotate(finding_count=Count("tags"))
            .order_by("position", "name")
        )

    @admin.display(description="findings", ordering="finding_count")
    def finding_count(self, area):
        return area.finding_count


@admin.register(JudgementArea)
class JudgementAreaAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug", "position"]
    search_fields = ["name", "short_name"]


@admin.register(Judgement)
class JudgementAdmin(HistoryAdmin):
    list_display = ["area", "inspection", "grade"]
    list_filter = ["inspection", "area", "grade"]
    list_select_related = ["inspection__local_authority", "area"]
    search_fields = ["area__name", "inspection__local_authority__name", "inspection__slug"]


class ServiceAreaTagForm(forms.ModelForm):
    class Meta:
        model = ServiceAreaTag
        fields = ["finding", "service_area", "source", "confirmed"]

    def clean_finding(self):
        finding = self.cleaned_data["finding"]
        before = self.instance.finding_id if self.instance.pk else None
        if before is not None and finding.pk != before:
            # Locked, so that two moves of a finding's last two tags cannot both pass.
            others = ServiceAreaTag.objects.select_for_update().filter(finding_id=before)
            if not others.exclude(pk=self.instance.pk).exists():
                raise ValidationError(
                    "This is the only service area of its paragraph: moving it would leave "
                    "that paragraph with none. Add another service area to it first (on "
                    "the paragraph's page), or add a new tag to the other paragraph."
                )
        return finding


@admin.register(ServiceAreaTag)
class ServiceAreaTagAdmin(HistoryAdmin):
    """Tags one by one. A finding's last tag cannot be deleted here (nor in bulk), nor
    moved to another finding: change it on the finding's page, which insists on at
    least one."""

    form = ServiceAreaTagForm
    actions = None

    def delete_view(self, request, object_id, extra_context=None):
        # Not has_delete_permission(): that would also stop deleting the whole finding.
        tag = self.get_object(request, object_id)
        if tag is not None and tag.finding.tags.count() <= 1:
            raise PermissionDenied
        return super().delete_view(request, object_id, extra_context)

    list_display = ["finding", "service_area", "source", "confirmed"]
    list_filter = ["confirmed", "source", "service_area", "finding__inspection"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "review/",
                wrap(lambda request: review_admin.queue_view(self, request)),
                name="judgements_review",
            ),
            path(
                "review/<slug:slug>/",
                wrap(lambda request, slug: review_admin.inspection_view(self, request, slug)),
                name="judgements_review_inspection",
            ),
            *super().get_urls(),
        ]

    list_select_related = ["finding__inspection", "service_area"]
    autocomplete_fields = ["finding", "service_area"]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(HistoryAdmin):
    list_display = ["action", "finding", "source", "confirmed"]
    list_filter = ["confirmed", "source", "action__inspection"]
    list_select_related = ["action__inspection", "finding__inspection"]
    autocomplete_fields = ["action", "finding"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The review queue's record of decisions: read only (it is what the tagger's precision
    in use is measured from)."""

    list_display = ["decided_at", "decision", "kind", "finding", "service_area", "decided_by"]
    list_filter = ["kind", "decision", "automatic"]
    list_select_related = ["finding__inspection", "service_area", "decided_by"]


@admin.register(WordsChange)
class WordsChangeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the database logs paragraphs' words as they were before each edit, for
    a day, so that searches' counts follow the edit (judgements/word_changes.py)."""

    list_display = ["logged_at", "version", "finding_id"]
    exclude = ["old_vector"]


@admin.register(EarlierGrade)
class EarlierGradeAdmin(admin.ModelAdmin):
    list_display = ["inspection", "earlier_year", "earlier_framework", "area", "grade"]
    list_select_related = ["inspection__local_authority", "area"]
    autocomplete_fields = ["inspection", "earlier_inspection"]


@admin.register(TaggingRule)
class TaggingRuleAdmin(admin.ModelAdmin):
    """The old keyword rulebook: imports are now tagged by judgements.tagging.tag_report
    (docs/decisions/automatic-tagging.md); these rules are kept for `manage.py
    tag_agreement` and as the figure the tagger is measured against."""

    list_display = ["pattern", "service_area"]
    list_filter = ["service_area"]
    search_fields = ["pattern"]


def writer_name(update):
    """Who wrote a progress update, as text: a link to the person's page in the admin
    would be refused to everyone but superusers."""
    user = update.written_by if update.pk else None
    if user is None:
        return "(not recorded)" if update.pk else ""
    return user.get_full_name() or user.get_username()


class ProgressUpdateInline(TabularInline):
    """Dated progress updates. Editors add them; existing ones show read-only to them."""

    model = ProgressUpdate
    fields = ["written_on", "text", "writer", "recorded_at"]
    readonly_fields = ["writer", "recorded_at"]

    @admin.display(description="written by")
    def writer(self, update):
        return writer_name(update)

    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    extra = 1
    verbose_name = "progress update"
    verbose_name_plural = "progress updates (a record: add a new one rather than editing)"


class ActionPlanForm(VersionCheckedForm):
    record_name = "action plan"

    class Meta:
        model = ActionPlan
        fields = ["action", "owner", "status", "target_date"]
        error_messages = {
            "action": {
                "unique": "This improvement action already has an action plan: open it "
                "from the list of action plans instead."
            },
            "target_date": {"required": "Give a target date for the action."},
            "owner": {"required": "Name the role or person accountable for the action."},
        }


@admin.register(ActionPlan)
class ActionPlanAdmin(VersionCheckedAdmin):
    """The action plan: overdue actions first, then by target date; filter by status."""

    form = ActionPlanForm
    list_display = ["action", "owner", "status", "target_date", "overdue"]
    list_filter = ["status", "action__inspection"]
    list_select_related = ["action__inspection"]
    search_fields = ["owner", "action__text"]
    autocomplete_fields = ["action"]
    fields = ["action", "owner", "status", "target_date"]
    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        # Not super(): that orders by get_ordering() before the annotation exists.
        return self.model._default_manager.overdue_first()

    def get_ordering(self, request):
        # The changelist re-orders by this; overdue_now is annotated by overdue_first().
        return ["-overdue_now", "target_date", "action__inspection", "action__position"]

    @admin.display(boolean=True, description="overdue", ordering="-overdue_now")
    def overdue(self, plan):
        return plan.overdue_now

    def save_formset(self, request, form, formset, change):
        for update in formset.save(commit=False):
            if update.pk is None:
                update.written_by = request.user
            update.save()
        for deleted in formset.deleted_objects:
            deleted.delete()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(HistoryAdmin):
    list_display = ["written_on", "plan", "text", "written_by"]
    list_filter = ["plan__status", "plan__action__inspection"]
    list_select_related = ["plan__action__inspection", "written_by"]
    search_fields = ["text"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["writer", "recorded_at"]

    @admin.display(description="written by")
    def writer(self, update):
        return writer_name(update)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            # Django orders this by ActionPlanAdmin.get_ordering(), which sorts by an
            # annotation only ActionPlanAdmin's own queryset has.
            kwargs["queryset"] = ActionPlan.objects.overdue_first()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.written_by = request.user
        super().save_model(request, obj, form, change)
