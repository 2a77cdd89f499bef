from django.urls import path

from judgements import export, feeds, views

app_name = "judgements"

urlpatterns = [
    path("findings/", views.finding_list, name="finding-list"),
    path("findings.csv", export.findings_csv, name="finding-csv"),
    path("findings/feed/", feeds.findings_feed, name="finding-feed"),
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
