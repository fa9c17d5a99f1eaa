from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("", include("reviews.urls")),
    path("", include("needs.urls")),
    path("", include("assistance.urls")),
    path("", include("dashboard.urls")),
    path("api/v1/", include("dashboard.api.urls")),
    path("api/", include("tan_tracker.api_urls")),
    path("admin/", admin.site.urls),
    # set_language: the switcher posts here; the choice is kept in the language cookie.
    path("i18n/", include("django.conf.urls.i18n")),
]
