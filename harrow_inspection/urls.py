from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from harrow_inspection import api, operations

admin.site.site_header = "Inspection reports database: staff"
admin.site.site_title = "Inspection reports staff"
admin.site.index_title = "Reports, judgements, findings and actions"

urlpatterns = [
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include((api.urlpatterns(), "api"))),
    path("", include("reports.urls")),
    path("", include("judgements.urls")),
]

handler404 = "harrow_inspection.errors.page_not_found"
handler500 = "harrow_inspection.errors.server_error"
