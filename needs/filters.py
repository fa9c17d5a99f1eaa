"""The one FilterSet for needs: the HTML lists, the exports and the API all use it."""

import django_filters
from django.db import connection
from django.db.models import Case, Q, Value, When

from reviews.models import Article, Chapter, RegionalGroup, State

from .models import Acceptance, Category, Coverage, Need, Priority, Status, Subcategory, Theme
from .selectors import stale_q

PRIORITY_RANK = Case(
    When(priority=Priority.HIGH, then=Value(1)),
    When(priority=Priority.MEDIUM, then=Value(2)),
    When(priority=Priority.LOW, then=Value(3)),
    default=Value(4),
)


class NeedOrderingFilter(django_filters.OrderingFilter):
    """Priority sorts high, medium, low, none (not alphabetically); ties end in id order, so
    that pages never repeat or skip a need."""

    def get_ordering_value(self, param):
        if param.lstrip("-") == "priority":
            return PRIORITY_RANK.desc() if param.startswith("-") else PRIORITY_RANK.asc()
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class NeedFilterSet(django_filters.FilterSet):
    # Multiple-choice filters default to DISTINCT; on single-valued fields a need cannot
    # appear twice, and DISTINCT would make PostgreSQL sort every matching row.
    q = django_filters.CharFilter(method="search", label="Search descriptions")
    state = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="review__state__iso3",
        to_field_name="iso3",
        queryset=State.objects.all(),
        label="State (ISO3)",
    )
    region = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="review__state__regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        label="Regional group",
    )
    cycle = django_filters.TypedChoiceFilter(
        field_name="review__cycle", choices=[(1, "1"), (2, "2")], coerce=int, label="Cycle"
    )
    chapter = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="chapter__roman",
        to_field_name="roman",
        queryset=Chapter.objects.all(),
        label="Chapter (roman numeral)",
    )
    article = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="article__number",
        to_field_name="number",
        queryset=Article.objects.all(),
        label="Article number",
    )
    category = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="category__code",
        to_field_name="code",
        queryset=Category.objects.all(),
        label="Category",
    )
    subcategory = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        field_name="subcategory__code",
        to_field_name="code",
        queryset=Subcategory.objects.all(),
        label="Subcategory",
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes__code",
        to_field_name="code",
        queryset=Theme.objects.all(),
        distinct=True,
        label="Theme",
    )
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    coverage = django_filters.MultipleChoiceFilter(choices=Coverage.choices, distinct=False)
    acceptance = django_filters.MultipleChoiceFilter(choices=Acceptance.choices, distinct=False)
    stale = django_filters.BooleanFilter(method="filter_stale", label="Possibly stale")
    identified_after = django_filters.DateFilter(field_name="identified_on", lookup_expr="gte")
    identified_before = django_filters.DateFilter(field_name="identified_on", lookup_expr="lte")

    ordering = NeedOrderingFilter(
        fields=(
            ("review__state__name", "state"),
            ("review__cycle", "cycle"),
            ("article__number", "article"),
            ("chapter__number", "chapter"),
            ("priority", "priority"),
            ("status", "status"),
            ("identified_on", "identified_on"),
            ("last_confirmed_on", "last_confirmed_on"),
            ("id", "id"),
        )
    )

    class Meta:
        model = Need
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            # The expression is the one the GIN index of migration assistance/0003 is built
            # on. As a subquery it is answered from that index alone; joined with the other
            # filters, PostgreSQL tends to compute to_tsvector row by row instead.
            matching = (
                Need.objects.annotate(search_document=SearchVector("description", config="english"))
                .filter(
                    search_document=SearchQuery(value, config="english", search_type="websearch")
                )
                .values("pk")
            )
            return queryset.filter(pk__in=matching)
        terms = [Q(description__icontains=word) for word in value.split()]
        combined = Q()
        for term in terms:
            combined &= term
        return queryset.filter(combined)

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stale_q()) if value else queryset.exclude(stale_q())
