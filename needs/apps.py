from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "needs"

    def ready(self):
        from core.imports import registry

        from .imports import IMPORTER

        registry.register(IMPORTER)
