"""Pages of long sorted lists: found on the rows' ids first, counted once per query and data
version, and read from the groups (reviews) a page falls in."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from .changes import cache_key, data_version

# Counts are kept under the data version, which every write moves on; this only bounds the
# memory a query nobody asks again holds.
COUNT_CACHE_SECONDS = 60 * 60


class IdsFirstPaginator(Paginator):
    """A Paginator over a queryset that sorts only the ids to find a page, then reads that
    page's rows whole, in two queries instead of one.

    With tens of thousands of matching needs, PostgreSQL sorted every matching row with all
    its joined columns (State, chapter, article, category...) to keep 25: the donors'
    catalogue took 660 ms for it at 100 times today's volume, against 200 ms for the same
    sort of the ids alone. The page's rows are then read by id and put back in that order.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self._rows(ids), number, self)

    def _rows(self, ids: list) -> list:
        """The rows of `ids`, in that order, with everything the list selects: the ids were
        found with the list's filters, so they are not applied again (planning the API's
        filtered join again cost more than reading 50 rows)."""
        rows = self.object_list.order_by()
        rows.query.where = WhereNode()
        found = {row.pk: row for row in rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


class CountedOncePaginator(Paginator):
    """A Paginator whose exact count is kept per query and data version, so that a list
    asked again before the next write does not count every matching row again.

    `version`: the data version when the caller has read it already (one query less)."""

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, version=None
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self._version = version

    def _query_key(self, prefix: str, queryset) -> str:
        """A cache key naming exactly this query on this data: its SQL and parameters
        (filters, the person's visibility, the day staleness counts from) and the data
        version, which every write moves on (`core.changes`), so that a kept figure is never
        out of date."""
        if self._version is None:
            self._version = data_version()
        sql, params = queryset.query.sql_with_params()
        return cache_key(f"paging:{prefix}", sql, repr(params), self._version)

    @cached_property
    def count(self):
        key = self._query_key("count", self.object_list.order_by())
        found = cache.get(key)
        if found is None:
            found = self.object_list.order_by().count()
            cache.set(key, found, COUNT_CACHE_SECONDS)
        return found


class GroupedPaginator(CountedOncePaginator, IdsFirstPaginator):
    """Pages of a list sorted first by the group its rows belong to (a need's review), found
    without sorting or counting every matching row at each request.

    The matching rows are counted per group, in the list's order of groups, once per query
    and data version (kept in the cache); the total is their sum, exact. A page is then
    read from the one or few groups it falls in: PostgreSQL sorts a review's needs instead
    of the 15,000 or 410,000 matching ones (the API's needs list sorted every match by
    State, chapter and article with all their columns: 500 ms at 100 times today's volume).

    `group` is the rows' foreign key to their group (`review`); `group_orders` the
    orderings that sort by group first (`("review",)`, `("review__state__name",
    "review__cycle")`). A list sorted otherwise, or with DISTINCT (a theme filter), is paged
    by its ids first, counted once per query and data version. Groups that tie on the
    ordering's leading fields (two States of the same name) keep their rows together, in
    group id order, so that pages never repeat or skip a row.
    """

    group: str = ""
    group_orders: tuple[tuple[str, ...], ...] = ()

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        ordering = tuple(object_list.query.order_by) or tuple(
            object_list.model._meta.ordering if object_list.query.default_ordering else ()
        )
        self.prefix = next(
            (
                prefix
                for prefix in self.group_orders
                if ordering[: len(prefix)] == prefix and not object_list.query.distinct
            ),
            None,
        )
        if self.prefix is not None:
            self.within = ordering[len(self.prefix) :]
            field = object_list.model._meta.get_field(self.group)
            self.column, self.related = field.attname, field.related_model
            self.group_key_type = type(field.target_field)
            # The prefix in the group's own terms: "review" is its model's ordering,
            # "review__state__name" its "state__name".
            self.group_ordering = (
                tuple(self.related._meta.ordering)
                if self.prefix == (self.group,)
                else tuple(name.removeprefix(f"{self.group}__") for name in self.prefix)
            )

    @cached_property
    def group_counts(self) -> list[tuple[int, int]]:
        """(group, matching rows) in the list's order of groups.

        Counted by the group's column alone, and the few groups sorted by their own fields
        read per group: grouping the rows joined to what sorts them made PostgreSQL join
        every matching need to its review and State first (1.7 s for the staff's 410,000
        needs, against 0.17 s)."""
        ordering = []
        for name in (*self.group_ordering, "pk"):
            field = Subquery(
                self.related._default_manager.filter(pk=OuterRef(self.column))
                .order_by()
                .values(name.lstrip("-"))[:1]
            )
            ordering.append(field.desc() if name.startswith("-") else field.asc())
        counting = (
            self.object_list.order_by()
            .values_list(self.column)
            .annotate(paging_rows=Count("*"))
            .values_list(self.column, "paging_rows")
            .order_by(*ordering)
        )
        key = self._query_key("groups", counting)
        found = cache.get(key)
        if found is None:
            found = list(counting)
            cache.set(key, found, COUNT_CACHE_SECONDS)
        return found

    @cached_property
    def count(self):
        if self.prefix is None:
            return super().count
        return sum(rows for _group, rows in self.group_counts)

    def page(self, number):
        if self.prefix is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        chosen, skip, start = [], 0, 0
        for group, rows in self.group_counts:
            if start >= top:
                break
            if start + rows > bottom:
                if not chosen:
                    skip = bottom - start
                chosen.append(group)
            start += rows
        # Typed as the column (a review's id is a bigint): a bare 1 is an integer, which the
        # GIN index on (review, search words) (needs 0012, btree_gin on PostgreSQL 15) does
        # not match, so a search within the page's reviews would read every need that has
        # the word instead of the reviews' few.
        typed = [Cast(Value(group), self.group_key_type()) for group in chosen]
        ordered = self.object_list.filter(In(F(self.column), typed)).order_by(
            *self.prefix, self.column, *self.within
        )
        ids = list(ordered.values_list("pk", flat=True)[skip : skip + top - bottom])
        return self._get_page(self._rows(ids), number, self)
