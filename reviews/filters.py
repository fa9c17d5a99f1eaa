"""FilterSets for States and reviews, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField

from translations.lookup import localized

from .forms import LocalizedOrderIterator
from .models import CYCLE_CHOICES, RegionalGroup, Review, State

MILESTONE_CHOICES = [
    ("self_assessment_submitted", _("Self-assessment submitted")),
    ("direct_dialogue", _("Direct dialogue held")),
    ("executive_summary_completed", _("Executive summary completed")),
    ("country_report_completed", _("Country report completed")),
    ("executive_summary_published", _("Executive summary published")),
    ("country_report_published", _("Country report published")),
]


def _descending(label) -> str:
    return gettext("%(label)s (descending)") % {"label": label}


def ordering_labels(labels: dict) -> dict:
    """OrderingFilter `field_labels` for {field: (param, label)}, the descending choices too:
    django-filter builds those at import time, so in English whatever the language."""
    found = {}
    for field, (param, label) in labels.items():
        found[field] = label
        found[f"-{param}"] = lazy(_descending, str)(label)
    return found


class LocalizedMultipleChoiceField(ModelMultipleChoiceField):
    """Regions or States named, and sorted, in the active language."""

    iterator = LocalizedOrderIterator

    def label_from_instance(self, obj):
        return localized(obj)


class LocalizedMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LocalizedMultipleChoiceField


class StateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or ISO3 code"))
    region = LocalizedMultipleChoiceFilter(
        field_name="regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        label=_("Regional group"),
    )
    is_party = django_filters.BooleanFilter(label=_("Party to the Convention"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("iso3", "iso3")),
        field_labels=ordering_labels({"name": ("name", _("Name")), "iso3": ("iso3", "ISO3")}),
        label=_("Sort by"),
    )

    class Meta:
        model = State
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(iso3__iexact=value)) if value else queryset
        )


class ReviewFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("State name or ISO3 code"))
    cycle = django_filters.TypedChoiceFilter(choices=CYCLE_CHOICES, coerce=int, label=_("Cycle"))
    region = LocalizedMultipleChoiceFilter(
        field_name="state__regional_group__code",
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        label=_("Regional group"),
    )
    state = LocalizedMultipleChoiceFilter(
        field_name="state__iso3",
        to_field_name="iso3",
        queryset=State.objects.all(),
        label=_("State"),
    )
    review_year = django_filters.NumberFilter(label=_("Review year"))
    milestone = django_filters.ChoiceFilter(
        choices=MILESTONE_CHOICES, method="filter_milestone", label=_("Milestone reached")
    )
    published = django_filters.BooleanFilter(
        field_name="executive_summary_published", label=_("Executive summary published")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("state__name", "state"),
            ("cycle", "cycle"),
            ("review_year", "review_year"),
            ("executive_summary_completed", "executive_summary_completed"),
            ("updated_at", "updated_at"),
        ),
        field_labels=ordering_labels(
            {
                "state__name": ("state", _("State")),
                "cycle": ("cycle", _("Cycle")),
                "review_year": ("review_year", _("Review year")),
                "executive_summary_completed": (
                    "executive_summary_completed",
                    _("Executive summary completed"),
                ),
                "updated_at": ("updated_at", _("Last saved")),
            }
        ),
        label=_("Sort by"),
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
