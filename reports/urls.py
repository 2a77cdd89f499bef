from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<slug:slug>/", views.inspection_detail, name="inspection"),
    path("local-authorities/", views.comparison, name="comparison"),
    path("local-authorities/<slug:slug>/", views.local_authority_detail, name="local-authority"),
    path("glossary/", views.glossary, name="glossary"),
]
