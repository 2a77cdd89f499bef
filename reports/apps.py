from django.apps import AppConfig
from django.db.models.signals import post_save


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and local authorities"

    def ready(self):
        from django.contrib.admin.models import LogEntry

        from harrow_inspection.operations import log_admin_action

        post_save.connect(log_admin_action, sender=LogEntry, dispatch_uid="harrow-admin-log")
