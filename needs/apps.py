from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "needs"

    def ready(self):
        from core.imports import registry

        from .action_imports import IMPORTER as ACTIONS_IMPORTER
        from .imports import IMPORTER

        registry.register(IMPORTER)
        registry.register(ACTIONS_IMPORTER)
