"""What every API view shares: pagination that refuses malformed pages, HTTP caching
from the data version, and the URL table."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from harrow_inspection import data_version
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
    changed gets 304 Not Modified without the view running. Mix into every API view."""

    def dispatch(self, request, *args, **kwargs):
        conditional = condition(
            etag_func=data_version.etag, last_modified_func=data_version.last_modified
        )
        response = conditional(super().dispatch)(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response


def docs_view():
    """Swagger UI, with its script in a separate file (no inline script under the CSP); it
    still sets one inline style, so this page alone allows inline styles."""
    view = SpectacularSwaggerSplitView.as_view(url_name="api:schema")
    return csp_update({"style-src": [UNSAFE_INLINE]})(view)


def urlpatterns():
    from judgements import api as judgements_api
    from reports import api as reports_api

    routes = [
        ("local-authorities/", reports_api.LocalAuthorityList, "local-authority-list"),
        ("local-authorities/<slug:slug>/", reports_api.LocalAuthorityDetail, "local-authority"),
        ("inspections/", reports_api.InspectionList, "inspection-list"),
        ("inspections/<slug:slug>/", reports_api.InspectionDetail, "inspection"),
        ("glossary/", reports_api.GlossaryList, "glossary-list"),
        ("glossary/<str:abbreviation>/", reports_api.GlossaryDetail, "glossary-term"),
        ("judgements/", judgements_api.JudgementList, "judgement-list"),
        (
            "inspections/<slug:slug>/judgements/<slug:area>/",
            judgements_api.JudgementDetail,
            "judgement",
        ),
        ("findings/", judgements_api.FindingList, "finding-list"),
        (
            "inspections/<slug:slug>/findings/<int:number>/",
            judgements_api.FindingDetail,
            "finding",
        ),
        ("improvement-actions/", judgements_api.ImprovementActionList, "action-list"),
        (
            "inspections/<slug:slug>/improvement-actions/<int:position>/",
            judgements_api.ImprovementActionDetail,
            "action",
        ),
        ("service-areas/", judgements_api.ServiceAreaList, "service-area-list"),
        ("service-areas/<slug:slug>/", judgements_api.ServiceAreaDetail, "service-area"),
    ]
    return [
        path("", reports_api.api_root, name="root"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", docs_view(), name="docs"),
        *[path(route, view.as_view(), name=name) for route, view, name in routes],
    ]
