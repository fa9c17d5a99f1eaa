from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data: the demo dataset (`load_demo`) and the benchmark's scale data
    (`generate_scale_data`). At the top of the layers: it writes into every app."""

    name = "demo"
    verbose_name = "Demo and scale data"
