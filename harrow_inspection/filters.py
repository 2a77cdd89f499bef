"""Filters every app's FilterSets share."""

import django_filters
from django import forms
from django_filters.fields import ModelMultipleChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class SlugModelMultipleChoiceField(ModelMultipleChoiceField):
    """The chosen objects as a list (as django-filter gives them), and an empty list when
    none is chosen rather than Django's empty queryset, which every `if value:` (the
    filter, the page's description, the drop-downs) compiled to learn it was empty."""

    def clean(self, value):
        if not self.required and not value:
            return []
        return super().clean(value)


def without_empty_values(data):
    """The query with empty values dropped: a form's "Any" option sends `local_authority=`,
    which means no filter, not a local authority called ""."""
    if data is None:
        return None
    cleaned = data.copy()
    for key in list(cleaned):
        # each value once: a value repeated a thousand times is one choice, not a
        # thousand (the summary of applied filters would grow with their square)
        values = list(dict.fromkeys(value for value in cleaned.getlist(key) if value.strip()))
        if values:
            cleaned.setlist(key, values)
        else:
            del cleaned[key]
    return cleaned


class OneNeighbourhoodForm(forms.Form):
    """The form of a FilterSet with `neighbours_of`: a drop-down's value is the last one
    sent, so a second council would be dropped without a word (both councils'
    neighbours, or those they share?)."""

    def clean_neighbours_of(self):
        chosen = {value.strip() for value in self.data.getlist(self.add_prefix("neighbours_of"))}
        if len(chosen - {""}) > 1:
            raise forms.ValidationError(
                "Give one council whose statistical neighbours you want; to read several "
                "councils, choose them with local_authority."
            )
        return self.cleaned_data["neighbours_of"]


def parameters_of(filterset_class):
    """Every query parameter a FilterSet takes: its filters, and old names it still
    answers to."""
    return set(filterset_class.base_filters) | set(
        getattr(filterset_class, "renamed_parameters", {})
    )


def unknown_parameters(query, known, *, tracking_tags=False):
    """{parameter: [message]} for each parameter of `query` (at most five) an address
    does not take, naming what it does take; {} if none. Ignored, a mistyped or
    unsupported filter (`/inspections.csv?region=london`) answered everything as if
    filtered, and the reader could not tell. With `tracking_tags` (the downloads, whose
    links are passed on) the tags newsletters and social sites add are taken too."""
    takes = ", ".join(sorted(known))
    unknown = [
        name
        for name in sorted(set(query) - set(known))
        if not (tracking_tags and tracking_tag(name))
    ]
    return {
        name[:60]: [f"This address does not take “{name[:60]}”; it takes: {takes}."]
        for name in unknown[:5]
    }


#: Tags that newsletters, social sites and ads add to a link they pass on: never a filter
#: anyone meant, so a shared download link with one still works.
TRACKING_TAGS = {"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "_ga"}


def tracking_tag(name):
    return name.startswith("utm_") or name in TRACKING_TAGS


@extend_schema_field(OpenApiTypes.STR)  # a slug; repeat the parameter for several
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """?service_area=care-leavers&service_area=fostering: any of the chosen values, by
    slug (`field_name` ends in __slug, as the filter compares the chosen slugs).

    Without django-filter's default SELECT DISTINCT: every path filtered this way runs
    from many to one (a finding's inspection, its council, its judgement's area), so no
    row can come twice, and DISTINCT over the text columns cost a sort of every match
    (a filter that can repeat rows, like service areas, is an EXISTS instead)."""

    field_class = SlugModelMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)  # a slug
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """?area=help-and-protection: one value, by slug."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)  # one of the choices, or empty (a form's "Any")
class OptionalChoiceFilter(django_filters.ChoiceFilter):
    """One value from a list, where an empty value (a form's "Any" option) means no
    filter; documented as a string, since an enum would forbid the empty value. A value
    not in the list is told what the list is (`?latest=1`: "takes: yes")."""

    def __init__(self, *args, **kwargs):
        choices = kwargs.get("choices")
        if choices is not None and not callable(choices):
            takes = ", ".join(str(value) for value, _ in choices)
            kwargs.setdefault(
                "error_messages",
                {"invalid_choice": f"%(value)s is not a value this takes: {takes}."},
            )
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)  # a slug; repeat the parameter for several
class SlugListFilter(django_filters.MultipleChoiceFilter):
    """Any of a fixed list of slugs (?grade=good&grade=outstanding), documented as the
    strings it takes rather than as the model field it filters (a grade's number)."""


@extend_schema_field(OpenApiTypes.INT)  # a year; repeat the parameter for several
class YearMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """?year=2020&year=2025: any of these years, from choices that may be a callable (the
    years up to this one), which drf-spectacular cannot type by itself."""
