"""The site's addresses: the only module of the ground floor that imports the apps."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from harrow_inspection import api, operations
from judgements import api as judgements_api
from reports import api as reports_api

admin.site.site_header = "Children's social care inspections: staff admin"
admin.site.site_title = "Inspection reports staff"
admin.site.index_title = "Reports, judgements, findings and actions"

# The API's root lists its collections, then its description.
API_ROOT = [
    ("local-authority", "api:local-authority-list"),
    ("inspection", "api:inspection-list"),
    ("judgement", "api:judgement-list"),
    ("finding", "api:finding-list"),
    ("action", "api:action-list"),
    ("service-area", "api:service-area-list"),
    ("glossary", "api:glossary-term-list"),
    ("comparison", "api:comparison-list"),
    ("schema", "api:schema"),
    ("docs", "api:docs"),
]

api_urls = [
    path("", api.root_view(API_ROOT), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api.docs_view(), name="docs"),
    *reports_api.router.urls,
    *judgements_api.router.urls,
]

urlpatterns = [
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include((api_urls, "api"))),
    path("", include("reports.urls")),
    path("", include("judgements.urls")),
]

handler403 = "harrow_inspection.errors.permission_denied"
handler404 = "harrow_inspection.errors.page_not_found"
handler500 = "harrow_inspection.errors.server_error"
