from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        from core.imports import registry

        from .imports import IMPORTER

        registry.register(IMPORTER)
