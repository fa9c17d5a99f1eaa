"""The one FilterSet for needs: the HTML lists, the exports and the API all use it."""

import django_filters
from django.db import connection
from django.db.models import Case, Q, Value, When
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Article, Chapter, RegionalGroup, State
from translations.fields import LocalizedModelMultipleChoiceField

from .forms import article_label, chapter_label
from .models import (
    Acceptance,
    ActionStatus,
    Category,
    Coverage,
    Need,
    NeedAction,
    Priority,
    Status,
    Subcategory,
    Theme,
    overdue_q,
    stale_q,
)

PRIORITY_RANK = Case(
    When(priority=Priority.HIGH, then=Value(1)),
    When(priority=Priority.MEDIUM, then=Value(2)),
    When(priority=Priority.LOW, then=Value(3)),
    default=Value(4),
)


class ChapterMultipleChoiceField(LocalizedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return chapter_label(obj)


class ArticleMultipleChoiceField(LocalizedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return article_label(obj)


class RowFilter(django_filters.ModelMultipleChoiceFilter):
    """A filter on reference rows that the query string names by a code (`field_name` ends
    with the `to_field_name` the form reads them by, e.g. `category__code`), applied as the
    rows' ids on the relation (`category_id = 3`) rather than as the code through a join.

    The form has read the rows already. An id in the needs' own column is a value the planner
    has statistics for; a code reached through a join it can only average over the
    categories: at 100 times today's data it expected 57,812 capacity-building needs where
    there are 189,128, and read all of them to narrow a search of one review's 452."""

    def get_filter_predicate(self, v):
        relation, _separator, code = self.field_name.rpartition("__")
        if not relation or code != self.field.to_field_name:
            return super().get_filter_predicate(v)
        return {relation: v}


class ReferenceFilter(RowFilter):
    """Reference rows (States, regions, taxonomy) offered under their names in the active
    language; the query string carries their codes whatever the language."""

    field_class = LocalizedModelMultipleChoiceField


class ChapterFilter(RowFilter):
    field_class = ChapterMultipleChoiceField


class ArticleFilter(RowFilter):
    field_class = ArticleMultipleChoiceField


def _descending_text(label) -> str:
    return gettext("%(label)s (descending)") % {"label": label}


descending = lazy(_descending_text, str)

# Sort choices: (field, parameter, label). django-filter would build the labels once, at
# import, in English; these are translated when the form is shown.
ORDERING = (
    ("review__state__name", "state", _("State")),
    ("review__cycle", "cycle", _("Cycle")),
    ("article__number", "article", _("Article")),
    ("chapter__number", "chapter", _("Chapter")),
    ("priority", "priority", _("Priority")),
    ("status", "status", _("Status")),
    ("identified_on", "identified_on", _("Identified on")),
    ("last_confirmed_on", "last_confirmed_on", _("Last confirmed on")),
    ("id", "id", _("Order of entry")),
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
    q = django_filters.CharFilter(method="filter_search", label=_("Search descriptions"))
    # The name API clients expect from DRF's search filter; the pages' search box sends `q`.
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search descriptions (the same as q)")
    )
    state = ReferenceFilter(
        distinct=False,
        field_name="review__state__iso3",
        to_field_name="iso3",
        queryset=State.objects.all(),
        label=_("State (ISO3)"),
    )
    region = ReferenceFilter(
        distinct=False,
        field_name="review__state__regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        label=_("Regional group"),
    )
    cycle = django_filters.TypedChoiceFilter(
        field_name="review__cycle", choices=[(1, "1"), (2, "2")], coerce=int, label=_("Cycle")
    )
    chapter = ChapterFilter(
        distinct=False,
        field_name="chapter__roman",
        to_field_name="roman",
        queryset=Chapter.objects.all(),
        label=_("Chapter (roman numeral)"),
    )
    article = ArticleFilter(
        distinct=False,
        field_name="article__number",
        to_field_name="number",
        queryset=Article.objects.all(),
        label=_("Article number"),
    )
    category = ReferenceFilter(
        distinct=False,
        field_name="category__code",
        to_field_name="code",
        queryset=Category.objects.all(),
        label=_("Category"),
    )
    subcategory = ReferenceFilter(
        distinct=False,
        field_name="subcategory__code",
        to_field_name="code",
        queryset=Subcategory.objects.all(),
        label=_("Subcategory"),
    )
    theme = ReferenceFilter(
        field_name="themes__code",
        to_field_name="code",
        queryset=Theme.objects.all(),
        distinct=True,
        label=_("Theme"),
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, distinct=False, label=_("Priority")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, distinct=False, label=_("Status")
    )
    coverage = django_filters.MultipleChoiceFilter(
        choices=Coverage.choices, distinct=False, label=_("Coverage")
    )
    acceptance = django_filters.MultipleChoiceFilter(
        choices=Acceptance.choices, distinct=False, label=_("Acceptance")
    )
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("Possibly stale"))
    identified_after = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="gte", label=_("Identified on or after")
    )
    identified_before = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="lte", label=_("Identified on or before")
    )

    ordering = NeedOrderingFilter(
        label=_("Ordering"),
        fields=[(field, param) for field, param, _label in ORDERING],
        field_labels={
            **{field: label for field, _param, label in ORDERING},
            **{f"-{param}": descending(label) for _field, param, label in ORDERING},
        },
    )

    class Meta:
        model = Need
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            # search_vector is kept by a trigger (needs 0005) and GIN-indexed with the review
            # (needs 0012), which the paged lists filter by.
            return queryset.filter(
                search_vector=SearchQuery(value, config="english", search_type="websearch")
            )
        terms = [Q(description__icontains=word) for word in value.split()]
        combined = Q()
        for term in terms:
            combined &= term
        return queryset.filter(combined)

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stale_q()) if value else queryset.exclude(stale_q())


class NeedActionFilterSet(django_filters.FilterSet):
    """The one FilterSet for follow-up actions: the country page, the export and the API."""

    state = ReferenceFilter(
        distinct=False,
        field_name="need__review__state__iso3",
        to_field_name="iso3",
        queryset=State.objects.all(),
        label=_("State (ISO3)"),
    )
    cycle = django_filters.TypedChoiceFilter(
        field_name="need__review__cycle",
        choices=[(1, "1"), (2, "2")],
        coerce=int,
        label=_("Cycle"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, distinct=False, label=_("Status")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    in_national_action_plan = django_filters.BooleanFilter(label=_("In the national action plan"))

    class Meta:
        model = NeedAction
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
