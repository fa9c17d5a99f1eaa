from django.db.models import Prefetch
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.access import can_manage_needs, signed_in
from core.api.filters import StrictOrderingFilter
from core.api.viewsets import ApiViewSet, refusal_is_conflict
from needs import services
from needs.filters import NeedFilterSet
from needs.models import Category, Need, Theme
from needs.rules import can_maintain_need, can_propose_need, can_propose_needs_at_all

from . import serializers

NEED_REF = OpenApiParameter(
    "ref",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The need's stable reference, e.g. `N-3F2A9C01B7`.",
    examples=[OpenApiExample("A need", value="N-0000000001")],
)


NEW_NEED_EXAMPLE = OpenApiExample(
    "A need identified in Kenya's second-cycle review",
    value={
        "state": "KEN",
        "cycle": 2,
        "chapter": "II",
        "article": 5,
        "category": "capacity_building",
        "themes": ["training"],
        "description": "Training for staff of the anti-corruption agency on prevention policies.",
        "priority": "high",
        "identified_on": "2019-02-01",
    },
    request_only=True,
)
STATUS_EXAMPLE = OpenApiExample(
    "Assistance has started",
    value={"status": "in_progress", "comment": "UNODC project started in March.", "version": 1},
    request_only=True,
)


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


@extend_schema_view(
    list=extend_schema(summary="Need categories, with their subcategories"),
    retrieve=extend_schema(summary="One need category"),
)
class CategoryViewSet(ReadOnlyApiViewSet):
    queryset = Category.objects.prefetch_related("subcategories").order_by("position", "label")
    serializer_class = serializers.NeedCategorySerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["position", "code"]


@extend_schema_view(
    list=extend_schema(summary="Cross-cutting themes of needs"),
    retrieve=extend_schema(summary="One theme"),
)
class ThemeViewSet(ReadOnlyApiViewSet):
    queryset = Theme.objects.order_by("position", "label")
    serializer_class = serializers.NeedThemeSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["position", "code"]


@extend_schema_view(
    list=extend_schema(
        summary="Needs",
        description="Technical assistance needs, filtered like the needs pages. The public and "
        "donors see the accepted needs of reviews whose executive summary is published; a focal "
        "point also sees all of their own State's; staff see all. `?format=csv` gives the whole "
        "filtered list as CSV.",
    ),
    retrieve=extend_schema(summary="One need", parameters=[NEED_REF]),
    create=extend_schema(
        summary="Record a need (staff)",
        request=serializers.NeedCreateSerializer,
        examples=[NEW_NEED_EXAMPLE],
        responses={201: serializers.NeedSerializer},
    ),
    update=extend_schema(
        summary="Change a need (staff)",
        parameters=[NEED_REF],
        request=serializers.NeedUpdateSerializer,
        responses=serializers.NeedSerializer,
    ),
    partial_update=extend_schema(
        summary="Change part of a need (staff)",
        parameters=[NEED_REF],
        request=serializers.NeedUpdateSerializer,
        responses=serializers.NeedSerializer,
    ),
    destroy=extend_schema(summary="Delete a need (staff)", parameters=[NEED_REF]),
)
class NeedViewSet(
    ReadOnlyApiViewSet,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    queryset = Need.objects.order_by(
        "review__state__name", "review__cycle", "chapter__number", "article__number", "id"
    )
    serializer_class = serializers.NeedSerializer
    filterset_class = NeedFilterSet
    lookup_field = "ref"
    lookup_value_regex = "[^/\x00]+"
    write_rules = {
        "create": can_manage_needs,
        "update": can_manage_needs,
        "partial_update": can_manage_needs,
        "destroy": can_manage_needs,
        "decide": can_manage_needs,
        "confirm": signed_in,
        "set_status": signed_in,
        "propose": signed_in,
    }
    object_rules = {"confirm": can_maintain_need, "set_status": can_maintain_need}

    def get_queryset(self):
        user = self.request.user
        successors = (
            Need.objects.visible_to(user).filter(Need.COUNTED).only("pk", "ref", "follows_id")
        )
        return (
            super()
            .get_queryset()
            .for_lists()
            .with_follows_ref(user)
            .select_related("last_confirmed_by")
            .prefetch_related(
                Prefetch(
                    "followed_by",
                    queryset=successors.order_by("ref"),
                    to_attr="visible_successors",
                )
            )
        )

    def get_serializer_class(self):
        return {
            "create": serializers.NeedCreateSerializer,
            "propose": serializers.NeedCreateSerializer,
            "update": serializers.NeedUpdateSerializer,
            "partial_update": serializers.NeedUpdateSerializer,
            "set_status": serializers.NeedStatusSerializer,
            "decide": serializers.NeedDecisionSerializer,
        }.get(self.action, serializers.NeedSerializer)

    def _answer(self, need: Need, code=status.HTTP_200_OK) -> Response:
        need = self.get_queryset().get(pk=need.pk)
        context = self.get_serializer_context()
        return Response(serializers.NeedSerializer(need, context=context).data, status=code)

    def _valid_input(self, instance=None, partial=False) -> dict:
        serializer = self.get_serializer(instance, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        need = services.need_create(user=request.user, **self._valid_input())
        return self._answer(need, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        changes = self._valid_input(need, partial=kwargs.get("partial", False))
        seen_version = self.seen_version(changes)
        need = services.need_update(
            need=need, user=request.user, seen_version=seen_version, **changes
        )
        return self._answer(need)

    def destroy(self, request, *args, **kwargs):
        services.need_delete(need=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Propose a need for your State (focal point)",
        description="The proposal counts once staff accept it (`acceptance` is `proposed` until "
        "then). Focal points propose for their own State only; staff for any.",
        request=serializers.NeedCreateSerializer,
        examples=[NEW_NEED_EXAMPLE],
        responses={201: serializers.NeedSerializer},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        # Refused before the body is read: a donor learns nothing from validation errors.
        if not can_propose_needs_at_all(request.user):
            raise PermissionDenied(gettext("You may propose needs for your own State only."))
        fields = self._valid_input()
        review = fields.pop("review")
        if not can_propose_need(request.user, review):
            raise PermissionDenied(gettext("You may propose needs for your own State only."))
        need = services.need_propose(review=review, user=request.user, **fields)
        return self._answer(need, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm that the need is still relevant (focal point of its State, staff)",
        parameters=[NEED_REF],
        request=None,
        responses=serializers.NeedSerializer,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, ref=None):
        need = services.need_confirm(need=self.get_object(), user=request.user)
        return self._answer(need)

    @extend_schema(
        summary="Change the need's status, saying why (focal point of its State, staff)",
        parameters=[NEED_REF],
        request=serializers.NeedStatusSerializer,
        examples=[STATUS_EXAMPLE],
        responses=serializers.NeedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, ref=None):
        need = self.get_object()
        fields = self._valid_input()
        seen_version = self.seen_version(fields)
        need = services.need_set_status(
            need=need, user=request.user, seen_version=seen_version, **fields
        )
        return self._answer(need)

    @extend_schema(
        summary="Accept or decline a proposed need (staff)",
        description="409 when the need is not a proposal waiting for a decision.",
        parameters=[NEED_REF],
        request=serializers.NeedDecisionSerializer,
        responses=serializers.NeedSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, ref=None):
        need = self.get_object()
        fields = self._valid_input()
        with refusal_is_conflict():
            need = services.need_decide_proposal(need=need, user=request.user, **fields)
        return self._answer(need)
