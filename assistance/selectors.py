"""Reads for assistance pages, exports and the catalogue, each in a fixed number of queries."""

from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.access import can_see_donor_interest
from core.changes import cache_key
from core.expressions import flag
from needs.models import Category, Coverage, Need, Priority, Status, Subcategory, stale_q
from needs.selectors import need_list
from reviews.models import Article, Chapter, RegionalGroup
from translations.lookup import translate_reference
from translations.models import ReferenceKind

from .models import (
    Activity,
    ActivityNeedLink,
    ActivityType,
    DonorInterest,
    FundingContribution,
    Level,
)

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
            queryset = queryset.annotate(facet_stale=flag(stale_q()))
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
    key = cache_key(
        "catalogue-facets",
        visibility,
        data_version,
        get_language(),
        date.today().isoformat(),
        query,
    )
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


# --- Needs shared by several States of a region -------------------------------------------
# A regional platform or a donor funds what several States of one region need alike (seeds
# 004, para 72). A group is the needs of one regional group on the same article (or chapter
# in general) and subcategory (its category when it has none) in at least two States. The
# database groups them (GROUP BY, HAVING COUNT(DISTINCT State) >= 2) and folds each State's
# needs and coverage into JSON; a page costs a fixed number of queries whatever the data size.


class JSONArrayAgg(Aggregate):
    """The values of a group as a JSON array: JSONB_AGG on PostgreSQL, JSON_GROUP_ARRAY on
    SQLite (the embedded database of the run command)."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


# What makes a group, as (name in the result, field of the need); the ids are what the
# queries after the first one filter on, the codes and English labels what the result shows.
SHARED_GROUP_FIELDS = {
    "region_pk": "review__state__regional_group_id",
    "chapter_pk": "chapter_id",
    "article_pk": "article_id",
    "category_pk": "category_id",
    "subcategory_pk": "subcategory_id",
    "region_code": "review__state__regional_group__code",
    "region_name": "review__state__regional_group__name",
    "cycle": "review__cycle",
    "chapter_roman": "chapter__roman",
    "chapter_number": "chapter__number",
    "chapter_title": "chapter__title",
    "article_number": "article__number",
    "article_title": "article__title",
    "category_code": "category__code",
    "category_label": "category__label",
    "subcategory_code": "subcategory__code",
    "subcategory_label": "subcategory__label",
}
SHARED_KEY = ("region_pk", "chapter_pk", "article_pk", "category_pk", "subcategory_pk")
# Sort parameter -> the group columns it sorts by (ties always end in a fixed order).
SHARED_ORDERING = {
    "states_unmet": ("states_unmet",),
    "states": ("states",),
    "needs": ("needs",),
    "region": ("region_code",),
    "article": ("chapter_number", "article_number"),
}
SHARED_DEFAULT_ORDERING = ("-states_unmet",)
SHARED_TIEBREAK = (
    "-states",
    "region_code",
    "chapter_number",
    "article_number",
    "category_code",
    "subcategory_code",
)
# A regional activity: delivered at regional level, a regional platform, or linked to the
# group's needs in at least two of its States.
REGIONAL_ACTIVITY = Q(activity__level=Level.REGIONAL) | Q(
    activity__activity_type=ActivityType.REGIONAL_PLATFORM
)
SHARED_CACHE_SECONDS = 60 * 60
# A State's needs listed in a group: the first ones by ref, then a link to all of them. At
# 100 times today's data a State has hundreds in a group, and listing them all made the
# page and the API answer grow with the data (68 KB -> 450 KB).
SHARED_MEMBER_NEEDS = 10
MAX_OFFSET = 2**62


def shared_needs_base(user) -> QuerySet:
    """The needs that may be shared: visible to the user, accepted, still relevant, of a
    State with a regional group (the European Union has none)."""
    return (
        Need.objects.visible_to(user)
        .filter(Need.COUNTED, review__state__regional_group__isnull=False)
        .exclude(status=Status.OBSOLETE)
    )


def _order_by(ordering: list[str] | None) -> str:
    """The ORDER BY of the groups: the sort asked for (most States unmet first by default),
    then a fixed order for ties, so that pages never repeat or skip a group. Only the
    column names of this module go into it."""
    terms, taken = [], set()
    for param in ordering or SHARED_DEFAULT_ORDERING:
        descending = param.startswith("-")
        for column in SHARED_ORDERING[param.lstrip("-")]:
            if column not in taken:
                terms.append(f"{column} DESC NULLS LAST" if descending else f"{column} ASC")
                taken.add(column)
    for column in SHARED_TIEBREAK:
        name = column.lstrip("-")
        if name not in taken:
            terms.append(f"{name} DESC" if column.startswith("-") else f"{name} ASC NULLS FIRST")
    return ", ".join(terms)


def _per_state(needs: QuerySet) -> QuerySet:
    """One row per group and State: how many needs the State has there, how many of them
    are unmet and how many covered (the catalogue's coverage, derived from the links)."""
    return (
        needs.order_by()
        .values(
            **{name: F(SHARED_GROUP_FIELDS[name]) for name in SHARED_KEY},
            cycle=F("review__cycle"),
            state_pk=F("review__state_id"),
        )
        .annotate(
            need_count=Count("pk"),
            unmet_count=Count("pk", filter=Q(coverage=Coverage.UNMET)),
            covered_count=Count("pk", filter=Q(coverage=Coverage.COVERED)),
        )
    )


def _labels_sql() -> tuple[str, str]:
    """The label columns of a group and the joins that give them, by the groups' ids."""
    table = connection.ops.quote_name
    columns = (
        "r.code AS region_code, r.name AS region_name, c.roman AS chapter_roman, "
        "c.number AS chapter_number, c.title AS chapter_title, a.number AS article_number, "
        "a.title AS article_title, k.code AS category_code, k.label AS category_label, "
        "s.code AS subcategory_code, s.label AS subcategory_label"
    )
    joins = (
        f"JOIN {table(RegionalGroup._meta.db_table)} r ON r.id = g.region_pk "
        f"JOIN {table(Chapter._meta.db_table)} c ON c.id = g.chapter_pk "
        f"LEFT JOIN {table(Article._meta.db_table)} a ON a.id = g.article_pk "
        f"JOIN {table(Category._meta.db_table)} k ON k.id = g.category_pk "
        f"LEFT JOIN {table(Subcategory._meta.db_table)} s ON s.id = g.subcategory_pk"
    )
    return columns, joins


def shared_need_groups(
    needs: QuerySet,
    ordering: list[str] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[dict], int | None]:
    """The groups of `needs` shared by at least two States of a region, sorted, `limit` of
    them from `offset` (all when None), with how many groups there are in all (None when
    the page is empty: past the last one, or no group at all).

    Each group has its key and labels, and how many States and needs it has, how many of
    those States have every need there unmet (`states_unmet`), and every need covered.
    Grouped in two steps by the database: the needs per group and State (the ORM query of
    `_per_state`, with the visibility and filters of `needs`), then those rows per group
    (HAVING COUNT(*) >= 2, the total of groups as a window count in the same query), by ids
    only; the labels are joined to the groups afterwards. In one step, three COUNT(DISTINCT
    State) sorted every need: count and page took 4.6 s at 100 times today's volume, and
    grouping by the labels too 4.0 s, against 0.9 s.
    """
    inner, params = _per_state(needs).query.sql_with_params()
    key = ", ".join((*SHARED_KEY, "cycle"))
    labels, joins = _labels_sql()
    sql = (
        f"SELECT g.*, {labels} FROM ("
        f"SELECT {key}, COUNT(*) AS states, CAST(SUM(need_count) AS INTEGER) AS needs, "
        "SUM(CASE WHEN unmet_count = need_count THEN 1 ELSE 0 END) AS states_unmet, "
        "SUM(CASE WHEN covered_count = need_count THEN 1 ELSE 0 END) AS states_covered, "
        "COUNT(*) OVER () AS total_groups "
        f"FROM ({inner}) per_state GROUP BY {key} HAVING COUNT(*) >= 2"
        f") g {joins} ORDER BY {_order_by(ordering)}"
    )
    params = list(params)
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    total = rows[0]["total_groups"] if rows else None
    for row in rows:
        del row["total_groups"]
        for name in ("states", "needs", "states_unmet", "states_covered"):
            row[name] = int(row[name])
    return rows, total


def _around(groups: list[dict], prefix: str = "") -> Q:
    """The needs of these groups and maybe a few more: those whose region, chapter, article,
    category and subcategory are each among the groups' (cheaper to plan than one condition
    per group; rows of other groups are left out by their key)."""
    condition = Q()
    for name in SHARED_KEY:
        field = f"{prefix}{SHARED_GROUP_FIELDS[name]}"
        values = {group[name] for group in groups}
        among = Q(**{f"{field}__in": sorted(values - {None})})
        if None in values:
            among |= Q(**{f"{field}__isnull": True})
        condition &= among
    return condition


def _key(row: dict) -> tuple:
    return tuple(row[name] for name in SHARED_KEY)


def shared_group_members(needs: QuerySet, groups: list[dict], *, with_needs: bool) -> QuerySet:
    """For each State of these groups (and maybe of a few others, see `_around`): its
    needs in the group (ref, coverage, status) and its coverage there: unmet when every
    need is, covered when every need is, partly covered otherwise."""
    key_fields = {name: F(SHARED_GROUP_FIELDS[name]) for name in SHARED_KEY}
    return (
        needs.filter(_around(groups))
        .order_by()
        .values(**key_fields, iso3=F("review__state__iso3"), name=F("review__state__name"))
        .annotate(
            need_count=Count("pk"),
            unmet_count=Count("pk", filter=Q(coverage=Coverage.UNMET)),
            covered_count=Count("pk", filter=Q(coverage=Coverage.COVERED)),
        )
        .annotate(
            state_coverage=Case(
                When(unmet_count=F("need_count"), then=Value(Coverage.UNMET.value)),
                When(covered_count=F("need_count"), then=Value(Coverage.COVERED.value)),
                default=Value(Coverage.PARTLY_COVERED.value),
                output_field=CharField(),
            ),
        )
        .annotate(
            **(
                {
                    "need_list": JSONArrayAgg(
                        JSONObject(ref="ref", coverage="coverage", status="status")
                    )
                }
                if with_needs
                else {}
            )
        )
        .order_by("name")
    )


def shared_group_activities(user, needs: QuerySet, groups: list[dict]) -> QuerySet:
    """The regional activities linked to these groups' needs, once per group."""
    key_fields = {name: F(f"need__{SHARED_GROUP_FIELDS[name]}") for name in SHARED_KEY}
    return (
        ActivityNeedLink.objects.visible_to(user)
        .filter(need__in=needs.values("pk"))
        .filter(_around(groups, prefix="need__"))
        .order_by()
        .values(
            **key_fields,
            ref=F("activity__ref"),
            title=F("activity__title"),
            level=F("activity__level"),
            activity_type=F("activity__activity_type"),
            status=F("activity__status"),
        )
        .annotate(linked_states=Count("need__review__state", distinct=True))
        .filter(Q(linked_states__gte=2) | REGIONAL_ACTIVITY)
        .order_by("title", "ref")
    )


def _shared_page(user, needs: QuerySet, ordering, page: int, page_size: int | None) -> dict:
    # The whole list (exports, CSV) leaves out each need's reference: at 100 times today's
    # volume that is every need, and the export took a minute; the counts stay.
    with_needs = page_size is not None
    if page_size is None:
        groups, _total = shared_need_groups(needs, ordering)
        count = len(groups)
    else:
        offset = (page - 1) * page_size
        # An offset past PostgreSQL's bigint cannot be asked; no group is that far anyway.
        groups, count = (
            shared_need_groups(needs, ordering, limit=page_size, offset=offset)
            if offset < MAX_OFFSET
            else ([], None)
        )
        if count is None:  # past the last page, or nothing at all: count them
            count = len(shared_need_groups(needs)[0]) if page > 1 else 0
    by_key = {_key(group): group for group in groups}
    for group in groups:
        group["members"], group["activities"] = [], []
    if groups:
        for member in shared_group_members(needs, groups, with_needs=with_needs):
            if _key(member) not in by_key:
                continue
            by_key[_key(member)]["members"].append(
                {
                    "iso3": member["iso3"],
                    "name": member["name"],
                    "coverage": member["state_coverage"],
                    "need_count": member["need_count"],
                    "needs": sorted(member["need_list"], key=lambda need: need["ref"])[
                        :SHARED_MEMBER_NEEDS
                    ]
                    if with_needs
                    else None,
                }
            )
        for activity in shared_group_activities(user, needs, groups):
            if _key(activity) not in by_key:
                continue
            by_key[_key(activity)]["activities"].append(
                {
                    name: activity[name]
                    for name in ("ref", "title", "level", "activity_type", "status")
                }
                | {"linked_states": activity["linked_states"]}
            )
    return {"count": count, "groups": groups}


def shared_needs_key(
    filterset, *, page: int, page_size: int | None, visibility: str, data_version: int
) -> str:
    """The name of one answer of `shared_needs_page`: what is built from it (the page's
    HTML, the API's JSON) is kept under it too."""
    query = sorted(
        (name, sorted(values))
        for name, values in filterset.data.lists()
        if name in filterset.filters
    )
    return cache_key("shared-needs", visibility, data_version, query, page, page_size)


def shared_needs_page(
    user,
    filterset,
    *,
    page: int = 1,
    page_size: int | None,
    visibility: str,
    data_version: int,
) -> dict:
    """`{"count": groups in all, "groups": [this page's groups]}` (every group when
    `page_size` is None), each group with its `members` (States) and regional `activities`.

    Kept in the cache while the data stays the same, for one visibility
    (`Need.objects.visibility_key`): every donor, and the public, asks for the same pages;
    any write to reviews, needs, activities or links moves the data version on, and with it
    the key (given back as `key`, for what is built from the answer: the page's HTML).
    Labels are kept in English and translated when shown."""
    key = shared_needs_key(
        filterset, page=page, page_size=page_size, visibility=visibility, data_version=data_version
    )
    result = cache.get(key)
    if result is None:
        ordering = filterset.form.cleaned_data.get("ordering") or None
        result = _shared_page(user, filterset.qs, ordering, page, page_size)
        cache.set(key, result, SHARED_CACHE_SECONDS)
    return {**result, "key": key}


def shared_group_document(group: dict, language: str | None = None) -> dict:
    """A group as the page and the API show it, its labels in `language` (the active one by
    default), codes alongside."""
    # Looked up once: a page of groups names thousands of States.
    language = language or get_language()

    def name(kind, code, english):
        return translate_reference(kind, code, english or "", language) if code else None

    kinds = ReferenceKind
    article = group["article_number"]
    subcategory = group["subcategory_code"]
    partly = group["states"] - group["states_unmet"] - group["states_covered"]
    return {
        "region": {
            "code": group["region_code"],
            "name": name(kinds.REGION, group["region_code"], group["region_name"]),
        },
        "cycle": group["cycle"],
        "chapter": {
            "roman": group["chapter_roman"],
            "title": name(kinds.CHAPTER, group["chapter_roman"], group["chapter_title"]),
        },
        "article": None
        if article is None
        else {
            "number": article,
            "title": name(kinds.ARTICLE, article, group["article_title"]),
        },
        "category": {
            "code": group["category_code"],
            "label": name(kinds.CATEGORY, group["category_code"], group["category_label"]),
        },
        "subcategory": None
        if subcategory is None
        else {
            "code": subcategory,
            "label": name(kinds.SUBCATEGORY, subcategory, group["subcategory_label"]),
        },
        "states": group["states"],
        "needs": group["needs"],
        "states_unmet": group["states_unmet"],
        "states_partly_covered": partly,
        "states_covered": group["states_covered"],
        "members": sorted(
            (
                {
                    "state": {
                        "iso3": member["iso3"],
                        "name": name(kinds.STATE, member["iso3"], member["name"]),
                    },
                    "coverage": member["coverage"],
                    "need_count": member["need_count"],
                    "needs": member["needs"],
                }
                for member in group["members"]
            ),
            key=lambda member: member["state"]["name"],
        ),
        "regional_activities": list(group["activities"]),
    }
