"""`/api/v1/snapshots/`: the dashboard's dated snapshots, read-only (staff take them on the
dashboard page). Kept apart from `dashboard/api/views.py`, which serves the live figures."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from core.access import can_see_donor_interest
from core.api.filters import StrictOrderingFilter
from core.api.viewsets import ApiViewSet
from dashboard.figures import snapshot_document
from dashboard.models import Snapshot, SnapshotFigureSet


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = ["id", "label", "taken_on", "computed_at"]


class SnapshotViewSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    region = serializers.CharField(allow_null=True, help_text="Null for all regions.")
    figures = serializers.DictField(
        help_text="The figures as `GET /api/v1/dashboard/` gives them (its `totals`, "
        "`by_chapter`... keys)."
    )


class SnapshotDetailSerializer(SnapshotSerializer):
    views = serializers.SerializerMethodField(
        help_text="The frozen figures of each cycle, for all regions and for each region."
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "views"]

    @extend_schema_field(SnapshotViewSerializer(many=True))
    def get_views(self, snapshot) -> list:
        request = self.context.get("request")
        document = snapshot_document(
            snapshot,
            snapshot.ordered_figure_sets,
            with_donor_interest=can_see_donor_interest(getattr(request, "user", None)),
        )
        return document["views"]


@extend_schema_view(
    list=extend_schema(
        summary="Dashboard snapshots",
        description="Figures frozen under a label (e.g. a conference document symbol) and a date.",
    ),
    retrieve=extend_schema(summary="One snapshot, with its figures"),
)
class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    lookup_value_regex = "[0-9]+"
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["taken_on", "label"]

    def get_queryset(self):
        snapshots = Snapshot.objects.order_by("taken_on", "label", "id")
        if self.action == "retrieve":
            figure_sets = SnapshotFigureSet.objects.order_by("cycle", "scope")
            snapshots = snapshots.prefetch_related(
                Prefetch("figure_sets", queryset=figure_sets, to_attr="ordered_figure_sets")
            )
        return snapshots

    def get_serializer_class(self):
        return SnapshotDetailSerializer if self.action == "retrieve" else SnapshotSerializer
