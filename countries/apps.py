from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    """The State list and the country pages: each State's reviews, needs, assistance and
    donor interest on one page, read from the apps below (no models of its own)."""

    name = "countries"
    verbose_name = _("States parties")
