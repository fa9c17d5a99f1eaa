from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and platform")

    def ready(self):
        # Registers the sign-in receiver that remembers the language chosen before signing in.
        from . import languages  # noqa: F401
