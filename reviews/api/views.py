from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from core.access import can_manage_reviews
from core.api.viewsets import (
    ReadOnlyApiViewSet,
    ReferenceApiViewSet,
    refusal_is_conflict,
)
from reviews import services
from reviews.filters import ReviewFilterSet, StateFilterSet
from reviews.models import Article, Chapter, RegionalGroup, Review, State

from . import serializers


@extend_schema_view(
    list=extend_schema(
        summary="Regional groups",
        description="The five regional groups of UN "
        "Member States; their `code` is the `region` filter of the other lists.",
    ),
    retrieve=extend_schema(summary="One regional group"),
)
class RegionViewSet(ReferenceApiViewSet):
    queryset = RegionalGroup.objects.order_by("name")
    serializer_class = serializers.RegionalGroupSerializer
    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"
    ordering_fields = ["code", "name"]


@extend_schema_view(
    list=extend_schema(
        summary="States",
        description="Every State (party or not) with its regional group and, per cycle, how far "
        "its review has gone. The public sees the reviews whose executive summary is published; "
        "a focal point also sees their own State's.",
    ),
    retrieve=extend_schema(summary="One State, by ISO3 code"),
)
class StateViewSet(ReadOnlyApiViewSet):
    queryset = State.objects.select_related("regional_group").order_by("name")
    serializer_class = serializers.StateSerializer
    filterset_class = StateFilterSet
    lookup_field = "iso3"
    lookup_value_regex = "[A-Z]{3}"

    def get_queryset(self):
        reviews = Review.objects.order_by("cycle").visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("reviews", queryset=reviews, to_attr="visible_reviews"))
        )


@extend_schema_view(
    list=extend_schema(
        summary="Chapters of the Convention",
        description="With their articles; `reviewed_in_cycle` says which review cycle covers "
        "each chapter (III and IV in the first, II and V in the second).",
    ),
    retrieve=extend_schema(summary="One chapter, by roman numeral"),
)
class ChapterViewSet(ReferenceApiViewSet):
    queryset = Chapter.objects.prefetch_related("articles").order_by("number")
    serializer_class = serializers.ConventionChapterSerializer
    lookup_field = "roman"
    lookup_value_regex = "[IVX]+"
    ordering_fields = ["number"]


@extend_schema_view(
    list=extend_schema(summary="Articles of the Convention"),
    retrieve=extend_schema(summary="One article, by number"),
)
class ArticleViewSet(ReferenceApiViewSet):
    queryset = Article.objects.select_related("chapter").order_by("number")
    serializer_class = serializers.ConventionArticleSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["number"]


@extend_schema_view(
    list=extend_schema(
        summary="Reviews",
        description="The review of one State in one cycle, with its milestones. The public and "
        "donors see reviews whose executive summary is published; a focal point also sees "
        "their own State's; staff see all.",
    ),
    retrieve=extend_schema(summary="One review"),
    create=extend_schema(
        summary="Record a review (staff)",
        request=serializers.ReviewCreateSerializer,
        responses={201: serializers.ReviewSerializer},
    ),
    update=extend_schema(
        summary="Change a review's milestones (staff)",
        request=serializers.ReviewUpdateSerializer,
        responses=serializers.ReviewSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of a review's milestones (staff)",
        request=serializers.ReviewUpdateSerializer,
        responses=serializers.ReviewSerializer,
    ),
    destroy=extend_schema(
        summary="Delete a review without needs (staff)",
        description="Refused with 409 while the review has needs.",
    ),
)
class ReviewViewSet(
    ReadOnlyApiViewSet,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    queryset = Review.objects.order_by("state__name", "cycle")
    serializer_class = serializers.ReviewSerializer
    filterset_class = ReviewFilterSet
    lookup_value_regex = "[0-9]+"
    write_rules = {
        "create": can_manage_reviews,
        "update": can_manage_reviews,
        "partial_update": can_manage_reviews,
        "destroy": can_manage_reviews,
    }

    def get_queryset(self):
        return super().get_queryset().for_lists()

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ReviewCreateSerializer
        if self.action in ("update", "partial_update"):
            return serializers.ReviewUpdateSerializer
        return serializers.ReviewSerializer

    def _answer(self, review: Review, code=status.HTTP_200_OK) -> Response:
        review = self.get_queryset().get(pk=review.pk)
        return Response(serializers.ReviewSerializer(review).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_create(user=request.user, **serializer.validated_data)
        return self._answer(review, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        review = self.get_object()
        serializer = self.get_serializer(
            review, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        seen_version = self.seen_version(changes)
        review = services.review_update(
            review=review, user=request.user, seen_version=seen_version, **changes
        )
        return self._answer(review)

    def destroy(self, request, *args, **kwargs):
        review = self.get_object()
        with refusal_is_conflict():
            services.review_delete(review=review, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
