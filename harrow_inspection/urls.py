from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Inspection reports database: staff"
admin.site.site_title = "Inspection reports staff"
admin.site.index_title = "Reports, judgements, findings and actions"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("reports.urls")),
]
