from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self):
        # The apps below write without knowing the dashboard: it learns of their commits here.
        from core.signals import data_committed

        from .services import recompute_soon

        data_committed.connect(recompute_soon, dispatch_uid="dashboard-recompute-soon")
