"""Reads for assistance pages, exports and the catalogue, each in a fixed number of queries."""

import hashlib
import json
from datetime import date

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.access import can_see_donor_interest
from needs.models import Coverage, Need, Priority, Status, stale_q
from needs.selectors import need_list

from .models import Activity, ActivityNeedLink, DonorInterest, FundingContribution

# The catalogue opens on the needs a donor could still take up; every filter can widen it.
CATALOGUE_DEFAULTS = {
    "coverage": [Coverage.UNMET, Coverage.PARTLY_COVERED],
    "status": [Status.UNMET, Status.IN_PROGRESS, Status.PARTIALLY_MET],
}
# In a catalogue address, the mark of a filter state chosen by the visitor (a submitted form):
# without it the catalogue applies its defaults.
CATALOGUE_FILTERED_MARKER = "filtered"


def catalogue_query(query: QueryDict) -> tuple[QueryDict, bool]:
    """The filters a catalogue address asks for, with the marker: as given once the visitor
    chose them, otherwise the defaults filled in. Also whether the defaults are in use."""
    data = query.copy()
    data.pop("page", None)
    using_defaults = CATALOGUE_FILTERED_MARKER not in data
    if using_defaults:
        for name, values in CATALOGUE_DEFAULTS.items():
            if name not in data:
                data.setlist(name, list(values))
        data[CATALOGUE_FILTERED_MARKER] = "1"
    return data, using_defaults


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    """COUNT(*) of `queryset` rows per outer row, as a correlated subquery (0 when none)."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Activities ---------------------------------------------------------------------------
def activity_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Activities with provider, beneficiary States and the number of linked needs the user
    may see."""
    queryset = Activity.objects.all() if queryset is None else queryset
    links = ActivityNeedLink.objects.visible_to(user)
    return (
        queryset.visible_to(user)
        .select_related("provider")
        .annotate(linked_need_count=_count_subquery(links, "activity"))
        .prefetch_related("beneficiary_states")
    )


def activity_detail(user, queryset: QuerySet | None = None) -> QuerySet:
    """One activity's page: funding with donors, and the links to needs the user may see."""
    queryset = Activity.objects.all() if queryset is None else queryset
    links = (
        ActivityNeedLink.objects.visible_to(user)
        .select_related("need__review__state", "need__chapter", "need__article", "need__category")
        .order_by("need__review__state__name", "need__chapter__number", "need__article__number")
    )
    return (
        queryset.visible_to(user)
        .select_related("provider")
        .prefetch_related(
            Prefetch("beneficiary_states", to_attr="beneficiaries_list"),
            Prefetch(
                "funding",
                queryset=FundingContribution.objects.visible_to(user).select_related("donor"),
                to_attr="funding_list",
            ),
            Prefetch("need_links", queryset=links, to_attr="visible_links"),
        )
    )


def activity_export_rows(user, queryset: QuerySet) -> QuerySet:
    """What the import format needs for each activity (export writes what import reads)."""
    links = ActivityNeedLink.objects.visible_to(user).select_related("need").order_by("need__ref")
    return queryset.select_related("provider").prefetch_related(
        "beneficiary_states",
        Prefetch("funding", queryset=FundingContribution.objects.select_related("donor")),
        Prefetch("need_links", queryset=links, to_attr="visible_links"),
    )


# --- A need's assistance and donor interest -----------------------------------------------
def need_links_for(user, need: Need) -> QuerySet:
    """Activities linked to a need, with provider and beneficiaries."""
    return (
        ActivityNeedLink.objects.visible_to(user)
        .filter(need=need)
        .select_related("activity__provider")
        .order_by("-activity__start_date", "activity__title")
    )


def active_interests_for(user, need: Need) -> QuerySet:
    """Active (not withdrawn) interest in a need; empty for anyone not signed in."""
    return (
        DonorInterest.objects.visible_to(user)
        .filter(need=need, withdrawn_at__isnull=True)
        .select_related("donor", "created_by")
        .order_by("created_at")
    )


# --- Catalogue ----------------------------------------------------------------------------
def catalogue_base(user) -> QuerySet:
    """Needs the catalogue may list for this user: visible and accepted (never proposals)."""
    return Need.objects.visible_to(user).filter(Need.COUNTED)


def catalogue_rows(user, queryset: QuerySet) -> QuerySet:
    """The filtered catalogue with what its rows show, in fixed queries (interest counts
    only for signed-in users, who may see interest)."""
    rows = need_list(user, queryset).annotate(
        activity_count=_count_subquery(ActivityNeedLink.objects.all(), "need")
    )
    if can_see_donor_interest(user):
        rows = rows.annotate(
            interest_count=_count_subquery(
                DonorInterest.objects.filter(withdrawn_at__isnull=True), "need"
            )
        )
    return rows


def _stale_case() -> Case:
    return Case(
        When(stale_q(), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# facet name -> (value field, label field or None); one GROUP BY query each.
FACET_FIELDS = {
    "region": ("review__state__regional_group__code", "review__state__regional_group__name"),
    "state": ("review__state__iso3", "review__state__name"),
    "cycle": ("review__cycle", None),
    "chapter": ("chapter__roman", "chapter__title"),
    "article": ("article__number", "article__title"),
    "category": ("category__code", "category__label"),
    "theme": ("themes__code", "themes__label"),
    "priority": ("priority", None),
    "status": ("status", None),
    "coverage": ("coverage", None),
    "stale": ("facet_stale", None),
}
# Labels in the active language (lazy: read when a page shows them).
CHOICE_LABELS = {
    "priority": {**dict(Priority.choices), "": _("No priority given")},
    "status": dict(Status.choices),
    "coverage": dict(Coverage.choices),
    "cycle": {1: _("First cycle"), 2: _("Second cycle")},
    "stale": {True: _("Possibly stale"), False: _("Recently confirmed")},
}


NULL_LABELS = {"region": _("No regional group"), "article": _("Chapter in general")}
NO_VALUE_LABEL = _("(none)")


def facet_counts(filterset, base: QuerySet) -> dict[str, list[dict]]:
    """Counts per value of each facet, one GROUP BY query per facet.

    Each facet is counted with every other filter applied but not its own, so that the
    numbers say how many needs each value would give: choosing chapter II still shows how
    many needs chapter V has under the same State, search and other filters.
    """
    cleaned = filterset.form.cleaned_data
    facets = {}
    for facet, (value_field, label_field) in FACET_FIELDS.items():
        queryset = base
        for name, value in cleaned.items():
            if name not in (facet, "ordering"):
                queryset = filterset.filters[name].filter(queryset, value)
        if facet == "stale":
            queryset = queryset.annotate(facet_stale=_stale_case())
        fields = [value_field] + ([label_field] if label_field else [])
        # A theme filter joins the themes, so a need with two of the chosen themes comes
        # twice; otherwise every row is one need and COUNT(*) spares a sort per facet.
        joins_themes = facet != "theme" and bool(cleaned.get("theme"))
        grouped = (
            queryset.order_by()
            .values(*fields)
            .annotate(count=Count("pk", distinct=True) if joins_themes else Count("*"))
            .order_by(value_field)
        )
        labels = CHOICE_LABELS.get(facet, {})
        facets[facet] = [
            {
                "value": row[value_field],
                "label": (row[label_field] if label_field else labels.get(row[value_field]))
                or NULL_LABELS.get(facet, NO_VALUE_LABEL),
                "count": row["count"],
            }
            for row in grouped
            if not (facet == "theme" and row[value_field] is None)
        ]
    return facets


# The catalogue's counts for one query, kept while the data stays the same: every donor
# opening the catalogue asks for the same ones, which take over a second at 100 times today's
# volume. Any write to reviews, needs, links or interest moves the dashboard's source
# version on, and with it the key; the day is in it too (staleness moves with the date), and
# an hour bounds how long a corrected reference label can wait.
FACET_CACHE_SECONDS = 60 * 60


def cached_facet_counts(
    filterset, base: QuerySet, *, visibility: str, data_version: int
) -> dict[str, list[dict]]:
    """`facet_counts`, from the cache when the same query was counted on the same data,
    for the same visibility (`Need.objects.visibility_key`) and language."""
    query = sorted(
        (name, sorted(values)) for name, values in filterset.data.lists() if name != "ordering"
    )
    key_source = json.dumps(
        [visibility, data_version, get_language(), date.today().isoformat(), query]
    )
    key = "catalogue-facets:" + hashlib.sha256(key_source.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(filterset, base)
        for options in counts.values():
            for option in options:
                option["label"] = str(option["label"])  # lazy translations, read now
        cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def activity_iati_rows(user, queryset: QuerySet) -> QuerySet:
    """What the IATI export writes for each activity, in fixed queries."""
    links = ActivityNeedLink.objects.visible_to(user).select_related(
        "need__article", "need__chapter"
    )
    return queryset.select_related("provider").prefetch_related(
        "beneficiary_states",
        Prefetch(
            "funding",
            queryset=FundingContribution.objects.visible_to(user).select_related("donor"),
        ),
        Prefetch("need_links", queryset=links, to_attr="iati_links"),
    )
