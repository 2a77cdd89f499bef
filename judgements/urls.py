from django.urls import path
from django.views.generic import RedirectView

from judgements import downloads, feeds, views

app_name = "judgements"

urlpatterns = [
    path("findings/", views.finding_list, name="finding-list"),
    path("findings/feed/", feeds.findings_feed, name="finding-feed"),
    path("findings.csv", downloads.findings_csv, name="finding-csv"),
    path("findings.json", downloads.findings_json, name="finding-json"),
    path("findings.csv.sha256", downloads.checksum, {"kind": "csv"}, name="finding-csv-sha256"),
    path("findings.json.sha256", downloads.checksum, {"kind": "json"}, name="finding-json-sha256"),
    # addresses trimmed back from a paragraph's or a judgement's
    path("inspections/<slug:slug>/findings/", views.report_findings),
    path(
        "inspections/<slug:slug>/judgements/",
        RedirectView.as_view(pattern_name="reports:inspection"),  # its table of judgements
    ),
    path(
        "inspections/<slug:slug>/findings/<int:number>/",
        views.finding_detail,
        name="finding",
    ),
    path(
        "inspections/<slug:slug>/judgements/<slug:area>/",
        views.judgement_detail,
        name="judgement",
    ),
    path("about/tagging/", views.about_tagging, name="about-tagging"),
    path("service-areas/", views.service_area_list, name="service-area-list"),
    path("service-areas/<slug:slug>/", views.service_area_detail, name="service-area"),
]
