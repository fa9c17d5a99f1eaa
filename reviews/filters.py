"""FilterSets for States and reviews, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q

from .models import CYCLE_CHOICES, RegionalGroup, Review, State

MILESTONE_CHOICES = [
    ("self_assessment_submitted", "Self-assessment submitted"),
    ("direct_dialogue", "Direct dialogue held"),
    ("executive_summary_completed", "Executive summary completed"),
    ("country_report_completed", "Country report completed"),
    ("executive_summary_published", "Executive summary published"),
    ("country_report_published", "Country report published"),
]


class StateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or ISO3 code")
    region = django_filters.ModelMultipleChoiceFilter(
        field_name="regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        label="Regional group",
    )
    is_party = django_filters.BooleanFilter()
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("iso3", "iso3")))

    class Meta:
        model = State
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(iso3__iexact=value)) if value else queryset
        )


class ReviewFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="State name or ISO3 code")
    cycle = django_filters.TypedChoiceFilter(choices=CYCLE_CHOICES, coerce=int)
    region = django_filters.ModelMultipleChoiceFilter(
        field_name="state__regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
    )
    state = django_filters.ModelMultipleChoiceFilter(
        field_name="state__iso3", to_field_name="iso3", queryset=State.objects.all(), label="State"
    )
    review_year = django_filters.NumberFilter()
    milestone = django_filters.ChoiceFilter(
        choices=MILESTONE_CHOICES, method="filter_milestone", label="Milestone reached"
    )
    published = django_filters.BooleanFilter(field_name="executive_summary_published")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("state__name", "state"),
            ("cycle", "cycle"),
            ("review_year", "review_year"),
            ("executive_summary_completed", "executive_summary_completed"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Review
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(state__name__icontains=value) | Q(state__iso3__iexact=value))

    def filter_milestone(self, queryset, name, value):
        if value in ("executive_summary_published", "country_report_published"):
            return queryset.filter(**{value: True})
        return queryset.filter(**{f"{value}__isnull": False})
