from django.apps import AppConfig


class JudgementsConfig(AppConfig):
    name = "judgements"
    verbose_name = "Judgements, findings and improvement actions"

    def ready(self):
        from judgements import signals  # noqa: F401 - connects the history receivers
