from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", include("core.urls")),
    path("", include("core.imports.urls")),
    path("", include("reviews.urls")),
    path("", include("needs.urls")),
    path("", include("assistance.urls")),
    path("", include("alerts.urls")),
    path("", include("dashboard.urls")),
    path("", include("countries.urls")),
    path("api/v1/", include("dashboard.api.urls")),
    path("api/", include("tan_tracker.api_urls")),
    path("admin/", admin.site.urls),
    # The switcher posts here; the choice is kept in the language cookie (Django's
    # set_language) and, for a signed-in person, on their account.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
]

# Error pages in the reader's language.
handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
