from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff roles, history and editing safeguards"

    def ready(self):
        from staff import signals  # noqa: F401  (connects the receivers)
