"""The action plan as a working list (issue 17, item 3): every improvement action, with
or without a plan, its owner, status, target date, last progress update and whether it
is overdue; filters for which inspection, council, status, overdue and unowned; a CSV
of the plan; and owner and status assigned to several actions at once.

Used by ``judgements.admin.ImprovementActionAdmin``, whose change list is this list.

Bulk assignment is version-checked as a single save is: the list carries, for each
row, the version of its plan when the list was loaded (``loaded_plan_<id>``, 0 for no
plan), and each action is saved in its own transaction with its plan's row locked. An
action whose plan changed since (or was created or deleted since) is refused with who
changed what, and nothing changes for it; the others are saved.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from harrow_inspection.spreadsheets import BOM, neutralised
from judgements.editing import EditConflict, changes_since, claim_next_version
from judgements.models import ActionPlan, PlanStatus, ProgressUpdate
from reports.models import Inspection

LOADED_PLAN = "loaded_plan_{}"
NO_PLAN = "none"
BULK_REASON = "Assigned in bulk from the action plan list"
EXCERPT = 110


def with_plan_columns(queryset, today=None):
    """Annotate what the list shows of each action's plan, in one query."""
    today = today or timezone.localdate()
    latest = ProgressUpdate.objects.filter(plan__action=OuterRef("pk")).order_by(
        "-written_on", "-recorded_at"
    )
    return queryset.select_related("inspection__local_authority", "plan").annotate(
        last_update_on=Subquery(latest.values("written_on")[:1]),
        last_update_text=Subquery(latest.values("text")[:1]),
        overdue_now=Case(
            When(
                plan__target_date__lt=today,
                plan__status__in=PlanStatus.open(),
                then=Value(True),
            ),
            default=Value(False),
        ),
    )


def plan_of(action):
    return getattr(action, "plan", None)


def overdue_days(action, today=None):
    plan = plan_of(action)
    if plan is None or not getattr(action, "overdue_now", False):
        return 0
    return ((today or timezone.localdate()) - plan.target_date).days


# Filters


class WhichInspection(admin.SimpleListFilter):
    """Each council's latest inspection unless asked for another: the plan being worked
    on. With a council chosen, its inspections one by one."""

    title = "inspection"
    parameter_name = "inspection"
    COUNCIL = "inspection__local_authority__id__exact"

    def lookups(self, request, model_admin):
        choices = [("all", "All inspections")]
        council = request.GET.get(self.COUNCIL, "")
        if council.isdigit():
            inspections = Inspection.objects.filter(local_authority_id=council).select_related(
                "local_authority"
            )  # named by their council
            choices += [(str(inspection.pk), str(inspection)) for inspection in inspections]
        return choices

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Latest of each council",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        if value and value.isdigit():
            return queryset.filter(inspection_id=value)
        latest = Inspection.objects.latest_per_local_authority().values_list("pk", flat=True)
        return queryset.filter(inspection_id__in=list(latest))


class PlanStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(NO_PLAN, "No plan yet"), *PlanStatus.choices]

    def queryset(self, request, queryset):
        if self.value() == NO_PLAN:
            return queryset.filter(plan__isnull=True)
        if self.value() in PlanStatus.values:
            return queryset.filter(plan__status=self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_now=True)
        if self.value() == "no":
            return queryset.filter(overdue_now=False)
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("none", "Unowned (no plan or no owner)"), ("some", "Owned")]

    def queryset(self, request, queryset):
        unowned = Q(plan__isnull=True) | Q(plan__owner="")
        if self.value() == "none":
            return queryset.filter(unowned)
        if self.value() == "some":
            return queryset.exclude(unowned)
        return queryset


# Columns


class PlanColumns:
    """The list's columns (a mixin for ImprovementActionAdmin)."""

    @admin.display(description="inspection", ordering="inspection__start_date")
    def council_inspection(self, action):
        return str(action.inspection)

    @admin.display(description="improvement action")
    def action_text(self, action):
        text = action.text
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"

    @admin.display(description="owner", ordering="plan__owner")
    def plan_owner(self, action):
        plan = plan_of(action)
        return plan.owner if plan is not None and plan.owner else "No owner"

    @admin.display(description="status", ordering="plan__status")
    def plan_status(self, action):
        plan = plan_of(action)
        shown = plan.get_status_display() if plan is not None else "No plan yet"
        # The plan's version when this list was loaded, for bulk assignment's check.
        version = plan.version if plan is not None else 0
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            shown,
            LOADED_PLAN.format(action.pk),
            version,
        )

    @admin.display(description="target date", ordering="plan__target_date")
    def plan_target(self, action):
        plan = plan_of(action)
        return date_format(plan.target_date, "j M Y") if plan is not None else "None set"

    @admin.display(description="last update", ordering="last_update_on")
    def last_update(self, action):
        if action.last_update_on is None:
            return "None"
        text = action.last_update_text
        text = text if len(text) <= 80 else text[:79] + "…"
        return f"{date_format(action.last_update_on, 'j M Y')}: {text}"

    @admin.display(description="overdue", ordering="overdue_now")
    def overdue(self, action):
        days = overdue_days(action)
        if not days:
            return "No"
        return f"Yes, by {days} day{'s' if days != 1 else ''}"


# CSV

CSV_COLUMNS = [
    "local_authority", "inspection", "inspection_first_day", "inspection_last_day",
    "action", "improvement_action", "owner", "status", "target_date", "overdue",
    "days_overdue", "last_update_on", "last_update", "evidence_paragraphs",
]  # fmt: skip


def plan_csv(actions, filename):
    """The plan as a CSV a spreadsheet opens cleanly: UTF-8 with a byte-order mark (so
    that Excel reads “£” and curly quotes right), and no cell a spreadsheet would run
    as a formula (harrow_inspection.spreadsheets.neutralised)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    today = timezone.localdate()
    for action in actions.prefetch_related("evidence"):
        plan = plan_of(action)
        days = overdue_days(action, today)
        row = [
            action.inspection.local_authority.name,
            action.inspection.slug,
            action.inspection.start_date.isoformat(),
            action.inspection.end_date.isoformat(),
            action.position,
            action.text,
            plan.owner if plan else "",
            plan.get_status_display() if plan else "No plan yet",
            plan.target_date.isoformat() if plan else "",
            "yes" if days else "no",
            days or "",
            action.last_update_on.isoformat() if action.last_update_on else "",
            action.last_update_text or "",
            "; ".join(str(finding.number) for finding in action.evidence.all()),
        ]
        writer.writerow([neutralised(value) for value in row])
    return response


# Bulk assignment


class BulkAssignForm(forms.Form):
    owner = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="The role or person accountable, e.g. Head of Service. Leave empty to "
        "keep each action's owner.",
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Keep each action's status"), *PlanStatus.choices],
    )
    target_date = forms.DateField(
        required=False,
        label="Target date for new plans",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only for the selected actions that have no plan yet: each gets a plan "
        "with this target date. Plans that exist keep their own target date.",
    )

    def __init__(self, *args, without_plan=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.without_plan = without_plan
        if not without_plan:
            del self.fields["target_date"]

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner", "").strip()
        cleaned["owner"] = owner
        if not owner and not cleaned.get("status") and not self.errors:
            raise forms.ValidationError(
                "Nothing to assign: give an owner, choose a status, or both."
            )
        if self.without_plan:
            count = self.without_plan
            which = (
                "1 of the selected actions has"
                if count == 1
                else (f"{count} of the selected actions have")
            )
            if not owner:
                self.add_error(
                    "owner",
                    f"{which} no plan yet, and a new plan needs an owner: give one, or "
                    "go back and unselect those actions.",
                )
            if not cleaned.get("target_date") and "target_date" not in self.errors:
                self.add_error(
                    "target_date",
                    f"{which} no plan yet, and a new plan needs a target date: give one, "
                    "or go back and unselect those actions.",
                )
        return cleaned


def loaded_versions(request, actions):
    """{action id: its plan's version when the list was loaded (0: no plan)}. An action
    the list did not show (all selected across pages) counts as loaded now."""
    versions = {}
    for action in actions:
        sent = request.POST.get(LOADED_PLAN.format(action.pk), "")
        if sent.isdigit():
            versions[action.pk] = int(sent)
        else:
            plan = plan_of(action)
            versions[action.pk] = plan.version if plan is not None else 0
    return versions


def short_name(action):
    return f"action {action.position} of {action.inspection}"


def assign_one(*, action, loaded, owner, status, target_date, user):
    """Assign to one action, in its own transaction. Returns (outcome, sentence):
    outcome is "assigned", "created", "unchanged" or "refused"."""
    with transaction.atomic():
        plan = ActionPlan.objects.select_for_update().filter(action_id=action.pk).first()
        if plan is None and loaded:
            return "refused", (
                f"Not changed: {short_name(action)}. Its plan was deleted after you "
                "loaded the list. Reload the list to see it as it is now."
            )
        if plan is not None and not loaded:
            return "refused", (
                f"Not changed: {short_name(action)}. Someone made a plan for it after "
                "you loaded the list. Reload the list, check that plan, and assign again "
                "if you still want to."
            )
        if plan is None:
            plan = ActionPlan(
                action=action,
                owner=owner,
                status=status or PlanStatus.NOT_STARTED,
                target_date=target_date,
            )
            try:
                plan.full_clean()
            except forms.ValidationError as error:
                reasons = " ".join(error.messages)
                return "refused", f"Not created: the plan for {short_name(action)}. {reasons}"
            plan._history_user = user
            plan._change_reason = BULK_REASON
            plan.save()
            return "created", short_name(action)
        if plan.version != loaded:
            changes = " ".join(changes_since(instance=plan, loaded_version=loaded, user=user))
            return "refused", (
                f"Not changed: {short_name(action)}. Its plan was saved after you loaded "
                f"the list, so nothing was changed for it. {changes} Reload the list and "
                "assign again if you still want to."
            ).replace("  ", " ")
        new_owner = owner or plan.owner
        new_status = status or plan.status
        if (new_owner, new_status) == (plan.owner, plan.status):
            return "unchanged", short_name(action)
        try:
            claim_next_version(instance=plan, loaded_version=loaded)
        except EditConflict:  # cannot happen with the row locked; refuse all the same
            return "refused", f"Not changed: {short_name(action)}. Reload the list."
        plan.owner, plan.status = new_owner, new_status
        plan._history_user = user
        plan._change_reason = BULK_REASON
        plan.save()
        return "assigned", short_name(action)


def bulk_assign(model_admin, request, queryset):
    """The admin action: a page to choose the owner and status (and, for actions
    without a plan, a target date), then assign to each selected action."""
    actions = list(with_plan_columns(queryset).order_by("inspection__start_date", "position"))
    versions = loaded_versions(request, actions)
    for action in actions:
        action.loaded_version = versions[action.pk]
    without_plan = [action for action in actions if plan_of(action) is None]
    may_add = request.user.has_perm("judgements.add_actionplan")
    applying = "apply" in request.POST
    form = BulkAssignForm(request.POST if applying else None, without_plan=len(without_plan))
    if applying and without_plan and not may_add:
        form.add_error(
            None,
            "Making a plan for an action that has none needs the permission to add action "
            "plans, which Editors have: go back and unselect the actions without a plan.",
        )
    if applying and form.is_valid():
        data = form.cleaned_data
        outcomes = {"assigned": [], "created": [], "unchanged": [], "refused": []}
        for action in actions:
            outcome, sentence = assign_one(
                action=action,
                loaded=versions[action.pk],
                owner=data["owner"],
                status=data["status"],
                target_date=data.get("target_date"),
                user=request.user,
            )
            outcomes[outcome].append(sentence)
        report(model_admin, request, data, outcomes)
        return None  # back to the list, as it was filtered
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Assign an owner and status",
        "opts": model_admin.model._meta,
        "form": form,
        "actions": actions,
        "without_plan": without_plan,
        "action_name": "assign_owner_and_status",
        "selected_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/judgements/improvementaction/assign.html", context)


def report(model_admin, request, data, outcomes):
    what = []
    if data["owner"]:
        what.append(f"owner “{data['owner']}”")
    if data["status"]:
        what.append(f"status “{PlanStatus(data['status']).label}”")
    what = " and ".join(what)
    done = outcomes["assigned"] + outcomes["created"]
    if done:
        made = f" (a new plan for {len(outcomes['created'])})" if outcomes["created"] else ""
        model_admin.message_user(
            request,
            f"Assigned {what} to {len(done)} action{'s' if len(done) != 1 else ''}{made}: "
            + "; ".join(done)
            + ".",
            messages.SUCCESS,
        )
    if outcomes["unchanged"]:
        model_admin.message_user(
            request,
            "Already so, left as they were: " + "; ".join(outcomes["unchanged"]) + ".",
            messages.INFO,
        )
    for sentence in outcomes["refused"]:
        model_admin.message_user(request, sentence, messages.ERROR)


def csv_filename(request):
    inspection = request.GET.get(WhichInspection.parameter_name, "")
    which = "latest"
    if inspection == "all":
        which = "all"
    elif inspection.isdigit():
        slug = Inspection.objects.filter(pk=inspection).values_list("slug", flat=True).first()
        which = slug or "latest"
    return f"action-plan-{which}-{timezone.localdate():%Y-%m-%d}.csv"
