"""The one FilterSet per assistance model: the HTML lists, the exports and the API all use them.

Filters that reach through an activity's many-to-many relations (beneficiary States, donors,
linked needs) use `pk IN (subquery)` instead of joins, so that a list never needs DISTINCT
and never repeats an activity. Filters on linked needs only consider the needs the requesting
user may see, so that a filter cannot reveal an unpublished need.
"""

import datetime

import django_filters
from django.db.models import Q, QuerySet

from core.permissions import visible_needs
from needs.models import Need
from reviews.models import Article, Chapter, RegionalGroup, State

from .models import (
    Activity,
    ActivityNeedLink,
    ActivityStatus,
    ActivityType,
    DeliveryMode,
    Donor,
    DonorInterest,
    DonorKind,
    FundingContribution,
    InterestKind,
    Level,
    Provider,
)

BeneficiaryLink = Activity.beneficiary_states.through


def _words_q(value: str, fields: tuple[str, ...]) -> Q:
    """Every word must appear in one of the fields (case-insensitive)."""
    combined = Q()
    for word in value.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        combined &= any_field
    return combined


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search reference, title, description")
    type = django_filters.MultipleChoiceFilter(
        field_name="activity_type", choices=ActivityType.choices, label="Type", distinct=False
    )
    level = django_filters.MultipleChoiceFilter(choices=Level.choices, distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices, distinct=False)
    delivery_mode = django_filters.MultipleChoiceFilter(
        choices=DeliveryMode.choices, distinct=False
    )
    provider = django_filters.ModelMultipleChoiceFilter(
        queryset=Provider.objects.all(), label="Provider", distinct=False
    )
    donor = django_filters.ModelMultipleChoiceFilter(
        queryset=Donor.objects.all(), method="filter_donor", label="Funded by donor"
    )
    state = django_filters.ModelMultipleChoiceFilter(
        to_field_name="iso3",
        queryset=State.objects.all(),
        method="filter_state",
        label="Beneficiary State (ISO3)",
    )
    region = django_filters.ModelMultipleChoiceFilter(
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        method="filter_region",
        label="Beneficiary States' regional group",
    )
    year = django_filters.NumberFilter(
        method="filter_year", label="Running in year", min_value=1990, max_value=2100
    )
    active_from = django_filters.DateFilter(
        method="filter_active_from", label="Running on or after"
    )
    active_until = django_filters.DateFilter(
        method="filter_active_until", label="Running on or before"
    )
    chapter = django_filters.ModelMultipleChoiceFilter(
        to_field_name="roman",
        queryset=Chapter.objects.all(),
        method="filter_linked_needs",
        label="Linked need's chapter (roman numeral)",
    )
    article = django_filters.ModelMultipleChoiceFilter(
        to_field_name="number",
        queryset=Article.objects.all(),
        method="filter_linked_needs",
        label="Linked need's article number",
    )
    need = django_filters.CharFilter(method="filter_need_ref", label="Linked need (reference)")

    ordering = django_filters.OrderingFilter(
        fields=(
            ("ref", "ref"),
            ("title", "title"),
            ("start_date", "start_date"),
            ("end_date", "end_date"),
            ("status", "status"),
            ("provider__name", "provider"),
            ("budget", "budget"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Activity
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(_words_q(value, ("ref", "title", "description")))

    def filter_donor(self, queryset, name, value):
        if not value:
            return queryset
        funded = FundingContribution.objects.filter(donor__in=value).values("activity_id")
        return queryset.filter(pk__in=funded)

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=BeneficiaryLink.objects.filter(state__in=value).values("activity_id")
        )

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=BeneficiaryLink.objects.filter(state__regional_group__in=value).values(
                "activity_id"
            )
        )

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        year = int(value)
        return _running_between(queryset, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def filter_active_from(self, queryset, name, value):
        return queryset if value is None else _running_between(queryset, value, None)

    def filter_active_until(self, queryset, name, value):
        return queryset if value is None else _running_between(queryset, None, value)

    def _visible_needs(self) -> QuerySet:
        user = getattr(self.request, "user", None)
        return visible_needs(user, Need.objects.all())

    def filter_linked_needs(self, queryset, name, value):
        if not value:
            return queryset
        needs = self._visible_needs().filter(**{f"{name}__in": value})
        links = ActivityNeedLink.objects.filter(need__in=needs.values("pk"))
        return queryset.filter(pk__in=links.values("activity_id"))

    def filter_need_ref(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        needs = self._visible_needs().filter(ref__iexact=value)
        links = ActivityNeedLink.objects.filter(need__in=needs.values("pk"))
        return queryset.filter(pk__in=links.values("activity_id"))


def _running_between(
    queryset: QuerySet, first: datetime.date | None, last: datetime.date | None
) -> QuerySet:
    """Activities whose dates overlap [first, last]; an open end counts as still running.

    An activity with neither date is left out: nothing says when it runs.
    """
    dated = Q(start_date__isnull=False) | Q(end_date__isnull=False)
    condition = dated
    if last is not None:
        condition &= Q(start_date__isnull=True) | Q(start_date__lte=last)
    if first is not None:
        condition &= Q(end_date__isnull=True) | Q(end_date__gte=first)
    return queryset.filter(condition)


class ProviderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name")
    is_unodc = django_filters.BooleanFilter(label="UNODC")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"),))

    class Meta:
        model = Provider
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_words_q(value, ("name", "short_name"))) if value else queryset


class DonorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name")
    kind = django_filters.MultipleChoiceFilter(choices=DonorKind.choices, distinct=False)
    country = django_filters.ModelMultipleChoiceFilter(
        field_name="country__iso3",
        distinct=False,
        to_field_name="iso3",
        queryset=State.objects.all(),
        label="Country (ISO3)",
    )
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("kind", "kind")))

    class Meta:
        model = Donor
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_words_q(value, ("name", "short_name"))) if value else queryset


class DonorInterestFilterSet(django_filters.FilterSet):
    donor = django_filters.ModelMultipleChoiceFilter(queryset=Donor.objects.all(), distinct=False)
    need = django_filters.CharFilter(
        field_name="need__ref", lookup_expr="iexact", label="Need (reference)"
    )
    state = django_filters.ModelMultipleChoiceFilter(
        field_name="need__review__state__iso3",
        distinct=False,
        to_field_name="iso3",
        queryset=State.objects.all(),
        label="Need's State (ISO3)",
    )
    kind = django_filters.MultipleChoiceFilter(choices=InterestKind.choices, distinct=False)
    active = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label="Active (not withdrawn)"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("created_at", "created_at"),
            ("withdrawn_at", "withdrawn_at"),
            ("amount", "amount"),
            ("donor__name", "donor"),
        )
    )

    class Meta:
        model = DonorInterest
        fields = []
