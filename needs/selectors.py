from django.db.models import F, QuerySet

from core.paging import GroupedPaginator

from .models import Acceptance, Need, NeedAction


def need_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Needs the user may see, with everything list pages and exports show, in fixed queries."""
    queryset = Need.objects.all() if queryset is None else queryset
    return queryset.visible_to(user).for_lists()


class NeedPaginator(GroupedPaginator):
    """Lists of needs sorted by review first (the model's ordering, the API's State and
    cycle) are paged review by review; see `core.paging.GroupedPaginator`."""

    group = "review"
    group_orders = (("review",), ("review__state__name", "review__cycle"))


def need_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Follow-up actions the user may see, with what lists and exports show, in fixed queries;
    the soonest due first (those without a due date last)."""
    queryset = NeedAction.objects.all() if queryset is None else queryset
    return (
        queryset.visible_to(user)
        .for_lists()
        .order_by(F("due_date").asc(nulls_last=True), "need__ref", "id")
    )


def actions_of_need(user, need: Need) -> QuerySet:
    return need_actions(user, NeedAction.objects.filter(need=need))


def overdue_actions_of_states(state_ids, today=None) -> QuerySet:
    """The overdue actions of accepted needs of these States, for the confirmation digest."""
    return (
        NeedAction.objects.overdue(today)
        .filter(need__review__state_id__in=state_ids, need__acceptance=Acceptance.ACCEPTED)
        .select_related("need__review")
        .order_by("need__review__state_id", "due_date", "id")
    )
