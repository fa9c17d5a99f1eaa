from django.db.models import QuerySet

from core.paging import GroupedPaginator

from .models import Need


def need_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Needs the user may see, with everything list pages and exports show, in fixed queries."""
    queryset = Need.objects.all() if queryset is None else queryset
    return queryset.visible_to(user).for_lists()


class NeedPaginator(GroupedPaginator):
    """Lists of needs sorted by review first (the model's ordering, the API's State and
    cycle) are paged review by review; see `core.paging.GroupedPaginator`."""

    group = "review"
    group_orders = (("review",), ("review__state__name", "review__cycle"))
