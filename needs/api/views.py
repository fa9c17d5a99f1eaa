from functools import cached_property

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
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.access import can_manage_needs, signed_in
from core.api.viewsets import (
    ReadOnlyApiViewSet,
    ReferenceApiViewSet,
    refusal_is_conflict,
)
from needs import services
from needs.filters import NeedActionFilterSet, NeedFilterSet
from needs.models import Category, Need, NeedAction, Theme
from needs.rules import (
    can_maintain_need,
    can_propose_need,
    can_propose_needs_at_all,
    can_record_actions_at_all,
    can_record_need_actions,
)
from needs.selectors import NeedPaginator, need_actions
from needs.suggestions import suggest_placements

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


@extend_schema_view(
    list=extend_schema(summary="Need categories, with their subcategories"),
    retrieve=extend_schema(summary="One need category"),
)
class CategoryViewSet(ReferenceApiViewSet):
    queryset = Category.objects.prefetch_related("subcategories").order_by("position", "label")
    serializer_class = serializers.NeedCategorySerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["position", "code"]


@extend_schema_view(
    list=extend_schema(summary="Cross-cutting themes of needs"),
    retrieve=extend_schema(summary="One theme"),
)
class ThemeViewSet(ReferenceApiViewSet):
    queryset = Theme.objects.order_by("position", "label")
    serializer_class = serializers.NeedThemeSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
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
    django_paginator_class = NeedPaginator
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
        "suggest": can_propose_needs_at_all,
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
            "suggest": serializers.NeedSuggestRequestSerializer,
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

    @extend_schema(
        summary="Suggest a placement for a new need from its description (staff, focal points)",
        description="The category, subcategory and article of the recorded needs most like the "
        "description (those the caller may see, accepted ones), best first, with the share of "
        "those needs placed so as `score`. Labels are in the language of the request. An empty "
        "list when no recorded need shares a word with the description.",
        request=serializers.NeedSuggestRequestSerializer,
        examples=[
            OpenApiExample(
                "A description being typed",
                value={"description": "Training of prosecutors on money-laundering cases"},
                request_only=True,
            )
        ],
        responses=serializers.NeedSuggestionsSerializer,
    )
    @action(detail=False, methods=["post"])
    def suggest(self, request):
        fields = self._valid_input()
        suggestions = suggest_placements(user=request.user, **fields)
        data = serializers.NeedSuggestionsSerializer({"suggestions": suggestions}).data
        return Response(data)


ACTION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The action's id."
)
NEW_ACTION_EXAMPLE = OpenApiExample(
    "Training planned by the anti-corruption agency",
    value={
        "what": "Two-day training on the new asset declaration rules for 40 officials.",
        "responsible_institution": "Ethics and Anti-Corruption Commission",
        "due_date": "2027-06-30",
        "status": "planned",
        "in_national_action_plan": True,
    },
    request_only=True,
)


def _may_record_action(user, action: NeedAction) -> bool:
    return can_record_need_actions(user, action.need)


@extend_schema_view(
    list=extend_schema(
        summary="Follow-up actions on a need",
        description="What is done about the need: seen by whoever sees the need, the soonest due "
        "first. `overdue=true`: due date passed and neither done nor cancelled.",
        parameters=[NEED_REF],
    ),
    retrieve=extend_schema(summary="One follow-up action", parameters=[NEED_REF, ACTION_ID]),
    create=extend_schema(
        summary="Record a follow-up action (focal point of the need's State, staff)",
        parameters=[NEED_REF],
        request=serializers.NeedActionWriteSerializer,
        examples=[NEW_ACTION_EXAMPLE],
        responses={201: serializers.NeedActionSerializer},
    ),
    update=extend_schema(
        summary="Change a follow-up action (focal point of the need's State, staff)",
        parameters=[NEED_REF, ACTION_ID],
        request=serializers.NeedActionWriteSerializer,
        responses=serializers.NeedActionSerializer,
    ),
    partial_update=extend_schema(
        summary="Change part of a follow-up action (focal point of the need's State, staff)",
        parameters=[NEED_REF, ACTION_ID],
        request=serializers.NeedActionWriteSerializer,
        responses=serializers.NeedActionSerializer,
    ),
    destroy=extend_schema(
        summary="Delete a follow-up action (focal point of the need's State, staff)",
        parameters=[NEED_REF, ACTION_ID],
    ),
)
class NeedActionViewSet(
    ReadOnlyApiViewSet,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    """`/api/v1/needs/{ref}/actions/`: the actions of one need, which the caller must see."""

    queryset = NeedAction.objects.all()
    serializer_class = serializers.NeedActionSerializer
    filterset_class = NeedActionFilterSet
    write_rules = dict.fromkeys(
        ("create", "update", "partial_update", "destroy"), can_record_actions_at_all
    )
    object_rules = dict.fromkeys(("update", "partial_update", "destroy"), _may_record_action)

    @cached_property
    def need(self) -> Need:
        """The need of the address: 404 for one the caller may not see."""
        found = (
            Need.objects.visible_to(self.request.user)
            .select_related("review")
            .filter(ref=self.kwargs["ref"])
            .first()
        )
        if found is None:
            raise NotFound(gettext("There is no need with this reference that you may see."))
        return found

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NeedAction.objects.none()
        return need_actions(self.request.user, NeedAction.objects.filter(need=self.need))

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return serializers.NeedActionWriteSerializer
        return serializers.NeedActionSerializer

    def _answer(self, action: NeedAction, code=status.HTTP_200_OK) -> Response:
        action = self.get_queryset().get(pk=action.pk)
        context = self.get_serializer_context()
        return Response(serializers.NeedActionSerializer(action, context=context).data, status=code)

    def create(self, request, *args, **kwargs):
        if not can_record_need_actions(request.user, self.need):
            raise PermissionDenied(
                gettext("Only the State's focal point and staff record actions on its needs.")
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("version", None)
        action = services.need_action_create(need=self.need, user=request.user, **fields)
        return self._answer(action, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        action = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(action, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        seen_version = self.seen_version(changes)
        action = services.need_action_update(
            action=action, user=request.user, seen_version=seen_version, **changes
        )
        return self._answer(action)

    def destroy(self, request, *args, **kwargs):
        services.need_action_delete(action=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
