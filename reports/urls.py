from django.urls import path
from django.views.generic import RedirectView

from reports import downloads, feeds, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("inspections.csv", downloads.inspections_csv, name="inspections-csv"),
    path("inspections/feed/", feeds.InspectionFeed(), name="feed"),
    # an address trimmed back from a report's: the home page lists every inspection
    path("inspections/", RedirectView.as_view(pattern_name="reports:home")),
    path("inspections/<slug:slug>/", views.inspection_detail, name="inspection"),
    path("local-authorities/", views.comparison, name="comparison"),
    path("local-authorities.csv", downloads.comparison_csv, name="comparison-csv"),
    path("local-authorities/<slug:slug>/", views.local_authority_detail, name="local-authority"),
    path(
        "local-authorities/<slug:slug>/feed/",
        feeds.LocalAuthorityFeed(),
        name="local-authority-feed",
    ),
    path("regions/<slug:region>/feed/", feeds.RegionFeed(), name="region-feed"),
    path("glossary/", views.glossary, name="glossary"),
]
