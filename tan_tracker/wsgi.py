import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tan_tracker.settings")

application = get_wsgi_application()

from core.startup import settle_after_loading  # noqa: E402 (needs the settings)

settle_after_loading()
