from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and local authorities"

    def ready(self):
        from reports.data_version import install_triggers

        post_migrate.connect(install_triggers, sender=self, dispatch_uid="harrow-data-version")
