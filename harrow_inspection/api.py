"""What every app's API shares: read-only viewsets with HTTP caching and the site's
paging, a router, link fields, and the root, schema and documentation views.

Each app declares its viewsets and a `router` in its own api.py; harrow_inspection/urls.py
includes them. Nothing here imports an app.
"""

import functools
from operator import attrgetter

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, routers, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from harrow_inspection import data_version
from harrow_inspection.filters import parameters_of, unknown_parameters
from harrow_inspection.paging import PAGE_SIZE, Paginator, read_page


class Pagination(PageNumberPagination):
    """The website's page size and paginator; a malformed or missing page is a 400, not a
    404."""

    page_size = PAGE_SIZE
    django_paginator_class = Paginator

    def get_page_number(self, request, paginator):
        number, error = read_page(request.query_params.get(self.page_query_param, "1"),
                                  paginator.count)  # fmt: skip
        if error:
            raise ValidationError({self.page_query_param: [error]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class Cached:
    """ETag and Last-Modified from the data version: a repeat request whose data has not
    changed gets 304 Not Modified without the view running."""

    def dispatch(self, request, *args, **kwargs):
        conditional = condition(
            etag_func=data_version.etag, last_modified_func=data_version.last_modified
        )
        response = conditional(super().dispatch)(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response


class ReadOnlyViewSet(Cached, viewsets.GenericViewSet):
    """Base of every API viewset: GET only, cached, paged like the website. Mix in
    ListModelMixin and/or RetrieveModelMixin for the routes a viewset has."""

    pagination_class = Pagination
    #: What every address takes besides its own filters: the page, and DRF's format.
    common_parameters = ("page", "format")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):  # another method is a 405 whatever it asks
            self.refuse_unknown_parameters(request)

    def refuse_unknown_parameters(self, request):
        """A parameter this address does not take is a 400 naming it and what it does
        take: ignored, `/api/inspections/?region=london` answered every inspection, as if
        filtered, and a researcher would not know."""
        if self.action != "list":  # one object: no filters, no pages
            known = {"format"}
        else:
            known = set(self.common_parameters)
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                known |= parameters_of(filterset_class)
        if errors := unknown_parameters(request.query_params, known):
            raise ValidationError(errors)


class ListViewSet(mixins.ListModelMixin, ReadOnlyViewSet):
    pass


class RetrieveViewSet(mixins.RetrieveModelMixin, ReadOnlyViewSet):
    pass


class ListRetrieveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadOnlyViewSet):
    pass


class MultiLookupMixin:
    """get_object() by every keyword of the URL: `lookups` maps each URL keyword to the
    field it is looked up by, for addresses with two parts such as
    /inspections/<slug>/findings/<number>/."""

    lookups: dict = {}

    def get_object(self):
        filters = {field: self.kwargs[keyword] for keyword, field in self.lookups.items()}
        obj = get_object_or_404(self.filter_queryset(self.get_queryset()), **filters)
        self.check_object_permissions(self.request, obj)
        return obj


class Router(routers.SimpleRouter):
    """DRF's router with the site's URLs: a trailing slash, no format suffixes.

    A prefix may hold keywords of its own ("inspections/<slug:slug>/findings"), which is
    how an address of two parts is routed; and one kind of object may have its list and
    its detail at different prefixes (/findings/ and /inspections/<slug>/findings/<n>/),
    registered as a list viewset and a detail viewset under one basename. What must not
    repeat is a URL name, which get_urls checks."""

    def __init__(self):
        # Django's path converters (viewsets set lookup_value_converter), as every other
        # address of the site: <slug:slug>, <int:number>.
        super().__init__(trailing_slash=True, use_regex_path=False)

    def is_already_registered(self, new_basename):
        return False  # a basename may be registered twice: see get_urls

    def get_urls(self):
        urls = super().get_urls()
        names = [url.name for url in urls]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ImproperlyConfigured(f"Two API routes are both named {repeated}.")
        return urls


@extend_schema_field(OpenApiTypes.URI)
class IdentityField(serializers.HyperlinkedIdentityField):
    """The object's own API address. `lookups` maps each keyword of the URL to the dotted
    attribute that fills it, e.g. {"slug": "inspection.slug", "number": "number"}."""

    def __init__(self, view_name, lookups=None, **kwargs):
        self.lookups = lookups or {"slug": "slug"}
        super().__init__(view_name=view_name, **kwargs)

    def get_url(self, obj, view_name, request, format):
        kwargs = {keyword: attrgetter(path)(obj) for keyword, path in self.lookups.items()}
        return request.build_absolute_uri(reverse(view_name, kwargs=kwargs))


@extend_schema_field(OpenApiTypes.URI)
class ListLinkField(serializers.Field):
    """The address of a list in the API filtered to this object, e.g.
    /api/findings/?inspection=harrow-2020-02: `query` maps each parameter to the dotted
    attribute that gives its value."""

    def __init__(self, view_name, query, **kwargs):
        self.view_name, self.query = view_name, query
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        url = self.context["request"].build_absolute_uri(reverse(self.view_name))
        return url + "?" + "&".join(f"{p}={attrgetter(a)(obj)}" for p, a in self.query.items())


@extend_schema_field(OpenApiTypes.URI)
class WebLinkField(serializers.Field):
    """The object's page on the website (its get_absolute_url), as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@functools.cache
def numbered_choice_serializer(choices, number_help):
    """A serializer for a member of `choices` (an IntegerChoices with a `slug`) as
    {"number", "slug", "label"}; one class per choices, whichever app asks for it."""

    class ChoiceSerializer(serializers.Serializer):
        number = serializers.IntegerField(help_text=number_help)
        slug = serializers.CharField()
        label = serializers.CharField()

        def to_representation(self, value):
            member = choices(value)
            return {"number": member.value, "slug": member.slug, "label": member.label}

    ChoiceSerializer.__name__ = ChoiceSerializer.__qualname__ = f"{choices.__name__}Serializer"
    return ChoiceSerializer


def root_view(entries):
    """The API's entry points: `entries` are (key, URL name) pairs."""

    @extend_schema(exclude=True)
    class Root(APIView):
        """The API's entry points. Documentation: /api/docs/; OpenAPI schema: /api/schema/."""

        def get(self, request):
            return Response(
                {key: request.build_absolute_uri(reverse(name)) for key, name in entries}
            )

    return Root.as_view()


def docs_view():
    """The API's documentation as a page of this site, rendered on the server from the
    OpenAPI schema: no script, so nothing for the CSP to allow, and every operation,
    parameter and field is plain HTML a screen reader and the keyboard can use (Swagger
    UI, used before, failed 34 of axe's checks). docs/decisions/api-docs.md says why."""

    def docs(request):
        return render(request, "api_docs.html", api_documentation())

    return docs


@functools.cache
def api_documentation():
    """The schema, once per process, as what the docs page lists."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "id": operation["operationId"].replace("_", "-"),
                    "method": method.upper(),
                    "path": path,
                    "description": paragraphs(operation.get("description", "")),
                    "example": path if "{" not in path else "",
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "type": type_of(parameter.get("schema", {})),
                            "required": parameter.get("required", parameter["in"] == "path"),
                            "description": paragraphs(parameter.get("description", "")),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": [
                        {
                            "code": code,
                            "description": response.get("description", ""),
                            "schema": schema_name(response),
                        }
                        for code, response in operation.get("responses", {}).items()
                    ],
                }
            )
    schemas = [
        {
            "name": name,
            "description": paragraphs(component.get("description", "")),
            "fields": [
                {
                    "name": field,
                    "type": type_of(spec),
                    "required": field in component.get("required", []),
                    "description": paragraphs(spec.get("description") or spec.get("title", "")),
                }
                for field, spec in component.get("properties", {}).items()
            ],
        }
        for name, component in schema["components"]["schemas"].items()
    ]
    return {"info": schema["info"], "operations": operations, "schemas": schemas}


def paragraphs(text):
    """A schema description as paragraphs, `code` in <code>, a "* " list as a list."""
    blocks = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("* ") for line in lines):
            blocks.append({"bullets": [inline_code(line[2:]) for line in lines]})
        elif lines:
            blocks.append({"text": inline_code(" ".join(lines))})
    return blocks


def inline_code(text):
    parts = escape(text).split("`")
    return mark_safe(  # noqa: S308 - every part is escaped above
        "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    )


def schema_name(response):
    for content in response.get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        return ref.rpartition("/")[2]
    return ""


def type_of(spec):
    if "$ref" in spec:
        return spec["$ref"].rpartition("/")[2]
    if "allOf" in spec:
        return " and ".join(type_of(part) for part in spec["allOf"])
    kind = spec.get("type", "any")
    if kind == "array":
        kind = f"list of {type_of(spec.get('items', {}))}"
    elif spec.get("format"):
        kind = f"{kind} ({spec['format']})"
    if spec.get("enum"):
        kind += ": " + ", ".join(str(value) for value in spec["enum"] if value is not None)
    if spec.get("nullable"):
        kind += ", or null"
    return kind
