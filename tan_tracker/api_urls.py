"""The REST API: `/api/v1/` (each app's `api/urls.py`), its schema and its documentation."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.decorators import api_view, permission_classes, renderer_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import SimpleRouter

from dashboard.api.snapshots import SnapshotViewSet

app_name = "api"


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
@schema(None)
def not_found(request, unmatched):
    """Under /api/ an unknown address answers in the API's JSON error shape, not an HTML page."""
    raise NotFound(_("There is no API endpoint at %(path)s.") % {"path": request.path})


snapshots = SimpleRouter()
snapshots.include_format_suffixes = False
snapshots.register("snapshots", SnapshotViewSet, basename="snapshot")

v1 = [
    path("", include("core.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("needs.api.urls")),
    path("", include("assistance.api.urls")),
    path("", include("alerts.api.urls")),
    path("", include(snapshots.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^(?P<unmatched>[\s\S]*)\Z", not_found),
]
