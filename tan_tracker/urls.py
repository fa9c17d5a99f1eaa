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
]
