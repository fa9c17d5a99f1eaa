from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from django_filters.utils import translate_validation
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
from rest_framework.utils.urls import remove_query_param, replace_query_param

from assistance import services
from assistance.filters import (
    ActivityFilterSet,
    DonorFilterSet,
    DonorInterestFilterSet,
    ProviderFilterSet,
    SharedNeedFilterSet,
)
from assistance.models import Activity, Donor, DonorInterest, FundingContribution, Provider
from assistance.rules import can_register_interest, can_withdraw_interest
from assistance.selectors import (
    SHARED_CACHE_SECONDS,
    activity_detail,
    shared_group_document,
    shared_needs_base,
)
from assistance.shared_views import shared_groups, shared_groups_key
from core.access import can_manage_assistance, signed_in
from core.api.filters import StrictFilterBackend, StrictOrderingFilter
from core.api.viewsets import ApiViewSet, ReadOnlyApiViewSet, refusal_is_conflict
from core.changes import cache_key
from core.paging import CountedOncePaginator

from . import serializers

ACTIVITY_REF = OpenApiParameter(
    "ref",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The activity's stable reference.",
    examples=[OpenApiExample("An activity", value="ACT-00001")],
)


@extend_schema_view(
    list=extend_schema(summary="Providers of assistance (UNODC and others)"),
    retrieve=extend_schema(summary="One provider"),
)
class ProviderViewSet(ReadOnlyApiViewSet):
    queryset = Provider.objects.order_by("name")
    serializer_class = serializers.ProviderSerializer
    filterset_class = ProviderFilterSet
    lookup_value_regex = "[0-9]+"


@extend_schema_view(
    list=extend_schema(summary="Donors"),
    retrieve=extend_schema(summary="One donor"),
    create=extend_schema(summary="Record a donor (staff)"),
    update=extend_schema(summary="Change a donor (staff)"),
    partial_update=extend_schema(summary="Change part of a donor (staff)"),
)
class DonorViewSet(ReadOnlyApiViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Donor.objects.select_related("country").order_by("name")
    serializer_class = serializers.DonorSerializer
    filterset_class = DonorFilterSet
    lookup_value_regex = "[0-9]+"
    write_rules = {
        "create": can_manage_assistance,
        "update": can_manage_assistance,
        "partial_update": can_manage_assistance,
    }

    def perform_create(self, serializer):
        serializer.instance = services.donor_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.donor_update(
            donor=serializer.instance, user=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Assistance activities",
        description="Activities and projects, with the needs they address (those you may see) "
        "and their funding. Filters as on the activities page.",
    ),
    retrieve=extend_schema(summary="One activity", parameters=[ACTIVITY_REF]),
    create=extend_schema(
        summary="Record an activity (staff)",
        request=serializers.ActivityCreateSerializer,
        responses={201: serializers.ActivitySerializer},
    ),
    update=extend_schema(
        summary="Change an activity (staff)",
        parameters=[ACTIVITY_REF],
        request=serializers.ActivityWriteSerializer,
        responses=serializers.ActivitySerializer,
    ),
    partial_update=extend_schema(
        summary="Change part of an activity (staff)",
        parameters=[ACTIVITY_REF],
        request=serializers.ActivityWriteSerializer,
        responses=serializers.ActivitySerializer,
    ),
    destroy=extend_schema(
        summary="Delete an activity with its funding and links (staff)",
        parameters=[ACTIVITY_REF],
    ),
)
class ActivityViewSet(
    ReadOnlyApiViewSet,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    queryset = Activity.objects.order_by("-start_date", "title", "id")
    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityFilterSet
    django_paginator_class = CountedOncePaginator
    lookup_field = "ref"
    lookup_value_regex = "[^/\x00]+"
    write_rules = dict.fromkeys(
        ("create", "update", "partial_update", "destroy", "link", "unlink"), can_manage_assistance
    )

    def get_queryset(self):
        return activity_detail(self.request.user, super().get_queryset())

    def get_serializer_class(self):
        return {
            "create": serializers.ActivityCreateSerializer,
            "update": serializers.ActivityWriteSerializer,
            "partial_update": serializers.ActivityWriteSerializer,
            "link": serializers.NeedLinkRequestSerializer,
            "unlink": serializers.NeedUnlinkRequestSerializer,
        }.get(self.action, serializers.ActivitySerializer)

    def _answer(self, activity, code=status.HTTP_200_OK) -> Response:
        activity = self.get_queryset().get(pk=activity.pk)
        context = self.get_serializer_context()
        return Response(serializers.ActivitySerializer(activity, context=context).data, status=code)

    def _valid_input(self, instance=None, partial=False) -> dict:
        serializer = self.get_serializer(instance, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        activity = services.activity_create(user=request.user, **self._valid_input())
        return self._answer(activity, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        changes = self._valid_input(activity, partial=kwargs.get("partial", False))
        seen_version = self.seen_version(changes)
        activity = services.activity_update(
            activity=activity, user=request.user, seen_version=seen_version, **changes
        )
        return self._answer(activity)

    def destroy(self, request, *args, **kwargs):
        services.activity_delete(activity=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Say that the activity addresses a need, fully or partly (staff)",
        description="Linking again changes the extent. The need's coverage follows.",
        parameters=[ACTIVITY_REF],
        request=serializers.NeedLinkRequestSerializer,
        responses=serializers.ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def link(self, request, ref=None):
        activity = self.get_object()
        services.link_need(activity=activity, user=request.user, **self._valid_input())
        return self._answer(activity)

    @extend_schema(
        summary="Remove the link between the activity and a need (staff)",
        description="409 when they are not linked.",
        parameters=[ACTIVITY_REF],
        request=serializers.NeedUnlinkRequestSerializer,
        responses=serializers.ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def unlink(self, request, ref=None):
        activity = self.get_object()
        fields = self._valid_input()
        with refusal_is_conflict():
            services.unlink_need(activity=activity, user=request.user, **fields)
        return self._answer(activity)


@extend_schema_view(
    list=extend_schema(summary="Funding contributions"),
    retrieve=extend_schema(summary="One funding contribution"),
    create=extend_schema(summary="Record a donor's contribution to an activity (staff)"),
    destroy=extend_schema(summary="Remove a funding contribution (staff)"),
)
class FundingViewSet(ReadOnlyApiViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    queryset = FundingContribution.objects.select_related("activity", "donor").order_by(
        "year", "donor__name", "id"
    )
    serializer_class = serializers.FundingSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["year", "amount"]
    write_rules = {"create": can_manage_assistance, "destroy": can_manage_assistance}

    def perform_create(self, serializer):
        serializer.instance = services.funding_add(
            user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.funding_remove(contribution=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Donor interest in needs (signed-in users)",
        description="Donors' interest in, or commitment to, meeting needs, for the needs you may "
        "see. Never shown to the public.",
    ),
    retrieve=extend_schema(summary="One donor interest"),
    create=extend_schema(
        summary="Register your organisation's interest in a need (donors)",
        description="One active interest per donor and need: 409 if yours is already there.",
        request=serializers.DonorInterestCreateSerializer,
        responses={201: serializers.DonorInterestSerializer},
    ),
)
class DonorInterestViewSet(ReadOnlyApiViewSet, mixins.CreateModelMixin):
    queryset = DonorInterest.objects.select_related(
        "donor", "need__review__state", "created_by"
    ).order_by("-created_at", "-id")
    serializer_class = serializers.DonorInterestSerializer
    filterset_class = DonorInterestFilterSet
    lookup_value_regex = "[0-9]+"
    sign_in_to_read = True
    write_rules = {"create": can_register_interest, "withdraw": signed_in}
    object_rules = {"withdraw": can_withdraw_interest}

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.DonorInterestCreateSerializer
        return serializers.DonorInterestSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not can_register_interest(request.user):
            raise PermissionDenied()
        with refusal_is_conflict():
            interest = services.interest_register(
                donor=request.user.donor, user=request.user, **serializer.validated_data
            )
        interest = self.get_queryset().get(pk=interest.pk)
        return Response(
            serializers.DonorInterestSerializer(interest).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Withdraw an interest (its donor, staff)",
        description="409 when it was already withdrawn.",
        request=None,
        responses=serializers.DonorInterestSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        interest = self.get_object()
        with refusal_is_conflict():
            services.interest_withdraw(interest=interest, user=request.user)
        interest = self.get_queryset().get(pk=interest.pk)
        return Response(serializers.DonorInterestSerializer(interest).data)


@extend_schema_view(
    list=extend_schema(
        summary="Needs shared by several States of a region",
        description="Groups of needs on the same article (or chapter in general) and "
        "subcategory (the category, for needs without one) in at least two States of one "
        "regional group: what a regional platform or a donor could take up next. Each group "
        "lists its States with their coverage there (unmet, partly covered, covered, derived "
        "from the assistance linked to the needs) and the regional activities already linked "
        "(regional level, regional platforms, or linked to the needs of at least two of the "
        "States). Sorted by the number of States whose needs are all unmet, most first. Only "
        "needs you may see, accepted and still relevant, are counted. Filter by `cycle`, "
        "`region`, `chapter`, `category`. Labels are in the language of the request.",
        responses=serializers.SharedNeedGroupSerializer(many=True),
    )
)
class SharedNeedViewSet(ApiViewSet):
    serializer_class = serializers.SharedNeedGroupSerializer
    filterset_class = SharedNeedFilterSet

    def get_queryset(self):
        return shared_needs_base(self.request.user)

    def list(self, request):
        filterset = StrictFilterBackend().get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        paginator = self.paginator
        # The paging parameters are checked also for the CSV, which holds every group: a
        # malformed one is refused as on the JSON answer, not silently ignored.
        page_size = paginator.get_page_size(request)
        number = paginator.get_page_number(request)
        renderer = request.accepted_renderer
        if getattr(renderer, "format", None) == "csv":
            result = shared_groups(request, filterset, page=1, page_size=None)
            return Response([shared_group_document(group) for group in result["groups"]])
        if renderer.format != "json":  # the browsable API
            return Response(self._page(request, filterset, number, page_size))
        # A JSON answer is kept as it is sent, per answer, language and address (its links):
        # at 100 times today's data a page names 30-40 States a group, and reading the
        # answer and building its documents again cost 25 ms.
        key = cache_key(
            shared_groups_key(request, filterset, page=number, page_size=page_size),
            get_language(),
            request.build_absolute_uri(),
        )
        body = cache.get(key)
        if body is None:
            document = self._page(request, filterset, number, page_size)
            body = renderer.render(document, renderer.media_type, self.get_renderer_context())
            cache.set(key, body, SHARED_CACHE_SECONDS)
        return HttpResponse(body, content_type=renderer.media_type)

    def _page(self, request, filterset, number: int, page_size: int) -> dict:
        result = shared_groups(request, filterset, page=number, page_size=page_size)
        # The documents have the serializer's shape already (a test checks it); running them
        # through DRF's nested serializers took most of a cached answer's time.
        rows = [shared_group_document(group) for group in result["groups"]]
        count = result["count"]
        last = max(1, -(-count // page_size))
        if number > last:
            raise self.paginator.no_such_page(number, last)
        url = request.build_absolute_uri()
        return {
            "count": count,
            "next": replace_query_param(url, "page", number + 1) if number < last else None,
            "previous": (
                None
                if number == 1
                else replace_query_param(url, "page", number - 1)
                if number > 2
                else remove_query_param(url, "page")
            ),
            "results": rows,
        }
