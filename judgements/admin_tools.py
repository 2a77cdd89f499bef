"""Admin building blocks for safe staff editing: history with diffs and revert, and
version-checked change forms that refuse to overwrite someone else's save."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from harrow_inspection.admin_forms import name_fields
from judgements.differences import field_change, is_long_text, shown_value, word_diff
from judgements.editing import NOT_DIFFED, changed_since, claim_next_version, current_version

LOADED_VERSION = "loaded_version"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every version of a record, who saved it and when, what changed (a diff), and
    a Revert button for staff who may change the record."""

    object_history_list_template = "admin/history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version's changes against the one before, in words (field_change): a
        long text as a word diff, not django-simple-history's ``Senio[82 chars]s``;
        choices by label; without the version counter."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, excluded_fields=NOT_DIFFED)
                previous.history_delta_changes = [
                    field_change(self.model, change.field, change.old, change.new)
                    for change in delta.changes
                ]
            previous = current

    def has_revert_permission(self, request, obj=None):
        """A model that declares a "revert_<model>" permission (Finding, ActionPlan) needs
        it to revert, on top of change; any other, change alone."""
        opts = self.opts
        codename = f"revert_{opts.model_name}"
        if not self.has_change_history_permission(request, obj):
            return False
        if codename in dict(opts.permissions):
            return request.user.has_perm(f"{opts.app_label}.{codename}")
        return True

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_revert_permission(request, obj)

    object_history_form_template = "admin/history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One earlier version: a read-only page for those who may not revert it, a
        revert form for those who may; the revert runs in one transaction.

        django-simple-history lets anyone who may *view* history POST a revert, and
        shows them an editable-looking form; here a POST without the permission is
        refused on the server, and the page shows the version as text.
        """
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version.")  # /history/abc/: a 404, not a 500
        obj = self.get_object(request, object_id)
        may_revert = obj is not None and self.has_revert_permission(request, obj)
        if request.method == "POST" and not may_revert:
            raise PermissionDenied(
                f"Reverting this {self.opts.verbose_name} to an earlier version needs "
                "the permission to revert it, which Editors have. You can still read "
                "every version and copy from it."
            )
        record = get_object_or_404(
            self.model.history, **{self.opts.pk.attname: object_id, "history_id": version_id}
        )
        request.history_version = record
        request.history_read_only = not may_revert
        if request.method == "POST":
            request.before_revert = obj
        context = {
            "version": record,
            "version_saved_by": _saver(record),
            "may_revert": may_revert,
            "version_rows": self.version_rows(record),
            **(extra_context or {}),
        }
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, context)

    def version_rows(self, record):
        """[(heading, [names])]: what else the version had (a finding's tags)."""
        return []

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "history_read_only", False):
            if self.fields:
                return [name for name in self.fields if name != LOADED_VERSION]
            return [
                field.name
                for field in self.opts.get_fields()
                if field.concrete and field.editable and not field.primary_key
            ]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        record = getattr(request, "history_version", None)
        if record is not None:
            obj._change_reason = f"Reverted to the version of {_when(record)}"
        super().save_model(request, obj, form, change)

    def restore_rows(self, request, obj, record):
        """After a revert: bring back what else the version had; sentences saying so."""
        return []

    def response_change(self, request, obj):
        record = getattr(request, "history_version", None)
        if record is None or request.method != "POST":
            return super().response_change(request, obj)
        # A revert: say what it restored, on the record's own page.
        before = getattr(request, "before_revert", None)
        restored = []
        for field in self.opts.concrete_fields:
            if field.primary_key or field.name in NOT_DIFFED or not field.editable:
                continue
            if before is not None and getattr(before, field.attname) != getattr(obj, field.attname):
                restored.append(str(field.verbose_name))
        rows = self.restore_rows(request, obj, record)
        version = f"its version of {_when(record)} ({_saver(record)})"
        if restored:
            what = "Restored " + ", ".join(restored) + "."
        else:
            what = "Its own fields were already as in that version."
        self.message_user(
            request,
            " ".join([f"Reverted {obj} to {version}.", what, *rows]),
            messages.SUCCESS,
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)


def _when(record):
    return date_format(timezone.localtime(record.history_date), "j F Y, H:i")


def _saver(record):
    """“saved by asha”, or for a record no one signed in made, its reason."""
    user = record.history_user
    if user is not None:
        return f"saved by {user.get_full_name() or user.get_username()}"
    reason = record.history_change_reason
    return reason[:1].lower() + reason[1:] if reason else "saved with no one signed in"


class VersionCheckedForm(forms.ModelForm):
    """A change form that remembers the record's version when it was opened.

    Saving checks it with the row locked: if someone else saved in between, the form
    is refused with what they changed, keeps everything this person typed, and now
    carries the new version, so that saving again (after merging) goes through.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    record_name = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)  # every refusal names its field and the fix
        if self.instance.pk is not None and not self.is_bound:
            # From the database, not the instance: a revert form's instance is an old version.
            self.initial[LOADED_VERSION] = current_version(
                model=type(self.instance), pk=self.instance.pk
            )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned_data
        loaded = cleaned_data.get(LOADED_VERSION)
        now = current_version(model=type(self.instance), pk=self.instance.pk, lock=True)
        if now is None:
            raise ValidationError(f"This {self.record_name} has been deleted since you opened it.")
        if loaded != now:
            found = changed_since(
                instance=self.instance, loaded_version=loaded or 0, user=self.editing_user
            )
            self.conflict = self.what_differs(found)
            self.data = self.data.copy()
            self.data[self.add_prefix(LOADED_VERSION)] = str(now)
            if found["by_you"]:
                head = (
                    f"Not saved: you saved this {self.record_name} in another window after "
                    "opening it in this one."
                )
            else:
                head = f"Not saved: someone else saved this {self.record_name} after you opened it."
            sentences = [
                head + " Your changes are still in the form below. Compare them with the "
                "saved version (under “What differs from the saved version”), merge the "
                "two, and save again."
            ]
            if found["records"]:
                sentences.append(f"Saved by {found['who']} (last at {found['when']}).")
            raise ValidationError(sentences + found["related"])
        return cleaned_data

    # Who is saving: set by VersionCheckedAdmin.get_form, so that a conflict with this
    # person's own save in another window says so.
    editing_user = None
    conflict = None

    def what_differs(self, found):
        """The conflict panel (templates/admin/conflict.html): each field the other save
        changed, the value saved against the value typed (long text as a word diff)."""
        model = type(self.instance)
        saved = model._default_manager.get(pk=self.instance.pk)
        names = found["fields"]
        stored = {field.name for field in model._meta.concrete_fields}
        if names is None:  # the version opened is not in the history: compare them all
            names = [name for name in self._meta.fields if name in self.fields]
        fields = []
        for name in names:
            # the form's own fields (the version it was opened at) are not the record's
            if name not in stored or name not in self.fields or name not in self.cleaned_data:
                continue
            field = model._meta.get_field(name)
            saved_value = getattr(saved, field.attname)
            typed_value = self.cleaned_data[name]
            entry = {
                "label": str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:],
                "saved": shown_value(field, saved_value),
                "typed": shown_value(field, typed_value),
                "before": None,
                "diff": None,
            }
            if "before" in found and name in found["before"]:
                entry["before"] = shown_value(field, found["before"][name])
            entry["same"] = entry["saved"] == entry["typed"]
            if is_long_text(field) and not entry["same"]:
                entry["diff"] = word_diff(
                    str(saved_value or ""),
                    str(typed_value or ""),
                    removed="only in the saved version",
                    added="only in yours",
                )
            fields.append(entry)
        return {
            "who": found["who"] or "someone",
            "by_you": found["by_you"],
            "when": found["when"],
            "fields": fields,
            "related": found["related"],
        }


class VersionCheckedAdmin(HistoryAdmin):
    """Change forms for a model with a ``version`` field, refused when out of date."""

    form = VersionCheckedForm

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != LOADED_VERSION]
        if obj is not None and self.has_change_permission(request, obj):
            fields.append(LOADED_VERSION)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editing_user": request.user})

    def save_model(self, request, obj, form, change):
        if change:
            claim_next_version(instance=obj, loaded_version=form.cleaned_data[LOADED_VERSION])
        super().save_model(request, obj, form, change)
