from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and local authorities"

    def ready(self):
        from reports.importing import admin  # noqa: F401 - registers the importer's models
