from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from alerts import services
from alerts.models import SavedSearch
from core.access import can_save_searches
from core.api.viewsets import ApiViewSet

from .serializers import SavedSearchSerializer

OWN_ONLY = "Only your own: another person's saved search answers 404."


@extend_schema_view(
    list=extend_schema(summary="Your saved searches", description=OWN_ONLY),
    retrieve=extend_schema(summary="One of your saved searches", description=OWN_ONLY),
    create=extend_schema(
        summary="Save a search",
        description="A filtered needs list (staff only: 403 for others) or catalogue view, "
        "under a name unique among yours, with an optional daily or weekly e-mail of the "
        "needs new or changed since the last one. Filters the view refuses are a 400.",
    ),
    update=extend_schema(summary="Change a saved search", description=OWN_ONLY),
    partial_update=extend_schema(
        summary="Change part of a saved search (rename, alert...)", description=OWN_ONLY
    ),
    destroy=extend_schema(summary="Delete a saved search", description=OWN_ONLY),
)
class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    queryset = SavedSearch.objects.all()
    serializer_class = SavedSearchSerializer
    lookup_value_regex = "[0-9]+"
    sign_in_to_read = True
    write_rules = dict.fromkeys(
        ("create", "update", "partial_update", "destroy"), can_save_searches
    )

    def perform_create(self, serializer):
        serializer.instance = services.saved_search_create(
            owner=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.saved_search_update(
            saved_search=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.saved_search_delete(saved_search=instance)
