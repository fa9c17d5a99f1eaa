"""The one FilterSet per assistance model: the HTML lists, the exports and the API all use them.

Filters that reach through an activity's many-to-many relations (beneficiary States, donors,
linked needs) use `pk IN (subquery)` instead of joins, so that a list never needs DISTINCT
and never repeats an activity. Filters on linked needs only consider the needs the requesting
user may see, so that a filter cannot reveal an unpublished need.
"""

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelMultipleChoiceField

from needs.models import Category, Need
from reviews.models import CYCLE_CHOICES, Article, Chapter, RegionalGroup, State
from translations.lookup import localized

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


def _descending(label) -> str:
    return gettext("%(label)s (descending)") % {"label": label}


_descending_lazy = lazy(_descending, str)


def _ordering(*columns) -> django_filters.OrderingFilter:
    """An OrderingFilter whose choices are named in the active language: `columns` are
    (model field, URL parameter, label) and each gives an ascending and a descending choice."""
    labels = {}
    for field_name, param, label in columns:
        labels[field_name] = label
        labels[f"-{param}"] = _descending_lazy(label)
    return django_filters.OrderingFilter(
        fields=tuple((field_name, param) for field_name, param, _label in columns),
        field_labels=labels,
        label=_("Sort by"),
    )


class LocalizedChoices(ModelMultipleChoiceField):
    """Reference rows (States, regional groups) named in the active language."""

    def label_from_instance(self, obj):
        return localized(obj)


class ChapterChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return gettext("Chapter %(roman)s: %(title)s") % {
            "roman": obj.roman,
            "title": localized(obj),
        }


class ArticleChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return gettext("Article %(number)s: %(title)s") % {
            "number": obj.number,
            "title": localized(obj),
        }


class LocalizedFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LocalizedChoices


class ChapterFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ChapterChoices


class ArticleFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ArticleChoices


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
    q = django_filters.CharFilter(method="search", label=_("Search reference, title, description"))
    type = django_filters.MultipleChoiceFilter(
        field_name="activity_type",
        choices=ActivityType.choices,
        label=capfirst(_("type")),
        distinct=False,
    )
    level = django_filters.MultipleChoiceFilter(
        choices=Level.choices, label=capfirst(_("level")), distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ActivityStatus.choices, label=capfirst(_("status")), distinct=False
    )
    delivery_mode = django_filters.MultipleChoiceFilter(
        choices=DeliveryMode.choices, label=capfirst(_("delivery mode")), distinct=False
    )
    provider = django_filters.ModelMultipleChoiceFilter(
        queryset=Provider.objects.all(), label=capfirst(_("provider")), distinct=False
    )
    donor = django_filters.ModelMultipleChoiceFilter(
        queryset=Donor.objects.all(), method="filter_donor", label=_("Funded by donor")
    )
    state = LocalizedFilter(
        to_field_name="iso3",
        queryset=State.objects.all(),
        method="filter_state",
        label=_("Beneficiary State (ISO3)"),
    )
    region = LocalizedFilter(
        to_field_name="code",
        queryset=RegionalGroup.objects.all(),
        method="filter_region",
        label=_("Beneficiary States' regional group"),
    )
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Running in year"), min_value=1990, max_value=2100
    )
    active_from = django_filters.DateFilter(
        method="filter_active_from", label=_("Running on or after")
    )
    active_until = django_filters.DateFilter(
        method="filter_active_until", label=_("Running on or before")
    )
    chapter = ChapterFilter(
        to_field_name="roman",
        queryset=Chapter.objects.all(),
        method="filter_linked_needs",
        label=_("Linked need's chapter (roman numeral)"),
    )
    article = ArticleFilter(
        to_field_name="number",
        queryset=Article.objects.all(),
        method="filter_linked_needs",
        label=_("Linked need's article number"),
    )
    need = django_filters.CharFilter(method="filter_need_ref", label=_("Linked need (reference)"))

    ordering = _ordering(
        ("ref", "ref", capfirst(_("reference"))),
        ("title", "title", capfirst(_("title"))),
        ("start_date", "start_date", capfirst(_("start date"))),
        ("end_date", "end_date", capfirst(_("end date"))),
        ("status", "status", capfirst(_("status"))),
        ("provider__name", "provider", capfirst(_("provider"))),
        ("budget", "budget", capfirst(_("budget"))),
        ("updated_at", "updated_at", capfirst(_("updated at"))),
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
        return Need.objects.visible_to(user)

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
    q = django_filters.CharFilter(method="search", label=capfirst(_("name")))
    is_unodc = django_filters.BooleanFilter(label=_("UNODC"))
    ordering = _ordering(("name", "name", capfirst(_("name"))))

    class Meta:
        model = Provider
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_words_q(value, ("name", "short_name"))) if value else queryset


class DonorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=capfirst(_("name")))
    kind = django_filters.MultipleChoiceFilter(
        choices=DonorKind.choices, label=capfirst(_("kind")), distinct=False
    )
    country = LocalizedFilter(
        field_name="country__iso3",
        distinct=False,
        to_field_name="iso3",
        queryset=State.objects.all(),
        label=_("Country (ISO3)"),
    )
    ordering = _ordering(
        ("name", "name", capfirst(_("name"))), ("kind", "kind", capfirst(_("kind")))
    )

    class Meta:
        model = Donor
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_words_q(value, ("name", "short_name"))) if value else queryset


class DonorInterestFilterSet(django_filters.FilterSet):
    donor = django_filters.ModelMultipleChoiceFilter(
        queryset=Donor.objects.all(), label=capfirst(_("donor")), distinct=False
    )
    need = django_filters.CharFilter(
        field_name="need__ref", lookup_expr="iexact", label=_("Need (reference)")
    )
    state = LocalizedFilter(
        field_name="need__review__state__iso3",
        distinct=False,
        to_field_name="iso3",
        queryset=State.objects.all(),
        label=_("Need's State (ISO3)"),
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=InterestKind.choices, label=capfirst(_("kind")), distinct=False
    )
    active = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label=_("Active (not withdrawn)")
    )
    ordering = _ordering(
        ("created_at", "created_at", capfirst(_("registered at"))),
        ("withdrawn_at", "withdrawn_at", capfirst(_("withdrawn at"))),
        ("amount", "amount", capfirst(_("amount"))),
        ("donor__name", "donor", capfirst(_("donor"))),
    )

    class Meta:
        model = DonorInterest
        fields = []


class LocalizedChoice(ModelChoiceField):
    """One reference row (a regional group, a category) named in the active language."""

    def label_from_instance(self, obj):
        return localized(obj)


class LocalizedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LocalizedChoice


class ChapterChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return ChapterChoices.label_from_instance(self, obj)


class ChapterChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ChapterChoice


class SharedNeedsOrderingFilter(django_filters.OrderingFilter):
    """`ordering` of the shared needs: it sorts the groups (`assistance.selectors`), not
    the needs, so filtering leaves the needs as they are."""

    def filter(self, qs, value):
        return qs


class SharedNeedFilterSet(django_filters.FilterSet):
    """Filters of the needs shared by several States of a region, for the page and the API
    alike: the needs are filtered, then grouped."""

    cycle = django_filters.ChoiceFilter(
        field_name="review__cycle",
        choices=CYCLE_CHOICES,
        empty_label=_("Both cycles"),
        label=_("Review cycle"),
    )
    region = LocalizedChoiceFilter(
        field_name="review__state__regional_group",
        to_field_name="code",
        queryset=RegionalGroup.objects.order_by("name"),
        empty_label=_("All regions"),
        label=_("Regional group"),
    )
    chapter = ChapterChoiceFilter(
        field_name="chapter",
        to_field_name="roman",
        queryset=Chapter.objects.filter(reviewed_in_cycle__isnull=False).order_by("number"),
        empty_label=_("All chapters"),
        label=_("Chapter"),
    )
    category = LocalizedChoiceFilter(
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.all(),
        empty_label=_("All categories"),
        label=_("Category"),
    )
    ordering = SharedNeedsOrderingFilter(
        fields=(
            ("states_unmet", "states_unmet"),
            ("states", "states"),
            ("needs", "needs"),
            ("region", "region"),
            ("article", "article"),
        ),
        field_labels={
            "states_unmet": _("States unmet"),
            "-states_unmet": _("Most States unmet first"),
            "states": _("States"),
            "-states": _("Most States first"),
            "needs": _("Needs"),
            "-needs": _("Most needs first"),
            "region": _("Regional group"),
            "-region": _descending_lazy(_("Regional group")),
            "article": _("Article"),
            "-article": _descending_lazy(_("Article")),
        },
        label=_("Sort by"),
        empty_label=_("Most States unmet first (default)"),
    )

    class Meta:
        model = Need
        fields = []
