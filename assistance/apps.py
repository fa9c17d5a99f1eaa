from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"

    def ready(self):
        from core.imports import registry

        from .imports import IMPORTER

        registry.register(IMPORTER)
