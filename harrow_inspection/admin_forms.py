"""Admin plumbing every app's admin uses: rows of a tabular inline that a screen reader
can name, and read-only admins.

A tabular inline shows each field's label once, as a column header, and none beside
the inputs, so every input, select and "Delete?" box of every row is unnamed (axe's
"label" and "select-name" rules). LabelledRows names each one after its column and row:
"Service area, row 2", "Delete row 2", and "…, new row" in the row the "Add another"
link copies.
"""

from django import forms
from django.contrib import admin

DEFAULT_REQUIRED = forms.Field.default_error_messages["required"]
DEFAULT_INVALID_DATE = forms.DateField.default_error_messages["invalid"]
DEFAULT_INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


def name_the_field(field, label):
    """Django's generic messages ("This field is required.") say neither which field
    nor what to do; in a row of an inline, where no label is beside the input, that
    leaves the person guessing. A message a form sets itself is kept."""
    messages = field.error_messages
    if messages.get("required") == DEFAULT_REQUIRED:
        messages["required"] = f"{label} is empty: fill it in."
    if isinstance(field, forms.DateField) and messages.get("invalid") == DEFAULT_INVALID_DATE:
        messages["invalid"] = f"{label} is not a date: write it as day/month/year, e.g. 31/03/2026."
    if messages.get("invalid_choice") == DEFAULT_INVALID_CHOICE:
        messages["invalid_choice"] = (
            f"{label}: the choice is no longer there (someone may have removed it since "
            "you opened this page). Choose again from those offered."
        )


def name_fields(form):
    """name_the_field for every field of a form."""
    for name, field in form.fields.items():
        name_the_field(field, (field.label or name).capitalize())


def name_rows(formset_class):
    """A subclass of formset_class whose forms' widgets carry an aria-label."""

    class LabelledRows(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            row = "new row" if index is None else f"row {index + 1}"
            for name, field in form.fields.items():
                if field.widget.is_hidden:
                    continue
                if name == "DELETE":
                    label = f"Delete {row}"
                else:
                    label = f"{(field.label or name).capitalize()}, {row}"
                widget = field.widget
                while hasattr(widget, "widget"):  # the admin's "add another" wrapper
                    widget = widget.widget
                widget.attrs["aria-label"] = label
                if name != "DELETE":
                    name_the_field(field, label)

    LabelledRows.__name__ = formset_class.__name__
    LabelledRows.__qualname__ = formset_class.__qualname__
    return LabelledRows


class LabelledRowsInline:
    """Mixin for an InlineModelAdmin (before admin.TabularInline in the bases)."""

    def get_formset(self, request, obj=None, **kwargs):
        return name_rows(super().get_formset(request, obj, **kwargs))


class TabularInline(LabelledRowsInline, admin.TabularInline):
    """Django's tabular inline, with every row's fields named."""


class ReadOnlyAdmin:
    """Mixin for a ModelAdmin of records nobody writes by hand (before admin.ModelAdmin in
    the bases): they can be listed and read, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
