"""Admin building blocks for safe staff editing: history with diffs and revert, and
version-checked change forms that refuse to overwrite someone else's save."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from harrow_inspection.admin_forms import name_fields
from judgements.editing import NOT_DIFFED, changes_since, claim_next_version, current_version

LOADED_VERSION = "loaded_version"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every version of a record, who saved it and when, what changed (a diff), and
    a Revert button for staff who may change the record."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As django-simple-history's, but without the version counter in every diff.
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, foreign_keys_are_objs=foreign_keys_are_objs, excluded_fields=NOT_DIFFED
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert, in one transaction, and only for those who may revert the record.

        django-simple-history lets anyone who may *view* history POST a revert; here a
        POST without the permission is refused on the server, whatever the page shows.
        """
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_revert_permission(request, obj):
                raise PermissionDenied(
                    f"Reverting this {self.opts.verbose_name} to an earlier version needs "
                    "the permission to revert it, which Editors have. You can still read "
                    "every version and copy from it."
                )
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


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
            sentences = changes_since(instance=self.instance, loaded_version=loaded or 0)
            self.data = self.data.copy()
            self.data[self.add_prefix(LOADED_VERSION)] = str(now)
            raise ValidationError(
                [
                    f"Not saved: someone else saved this {self.record_name} after you opened "
                    "it. Your changes are still in the form below. Compare them with what "
                    "the other person changed (listed here), merge the two, and save again.",
                    *sentences,
                ]
            )
        return cleaned_data


class VersionCheckedAdmin(HistoryAdmin):
    """Change forms for a model with a ``version`` field, refused when out of date."""

    form = VersionCheckedForm

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != LOADED_VERSION]
        if obj is not None and self.has_change_permission(request, obj):
            fields.append(LOADED_VERSION)
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            claim_next_version(instance=obj, loaded_version=form.cleaned_data[LOADED_VERSION])
        super().save_model(request, obj, form, change)
