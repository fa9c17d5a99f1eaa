from django.db.models import F, Q, QuerySet

from core.access import Audience, through
from core.paging import GroupedPaginator

from .models import Acceptance, Need, NeedAction


def need_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Needs the user may see, with everything list pages and exports show, in fixed queries."""
    queryset = Need.objects.all() if queryset is None else queryset
    return queryset.visible_to(user).for_lists()


def need_neighbours(user, need: Need) -> tuple[Need | None, list[Need]]:
    """The earlier need this one follows and the later needs that follow it, those the user
    may see and that count (accepted), in one query."""
    related = (
        Need.objects.visible_to(user)
        .filter(Need.COUNTED)
        .filter(Q(pk=need.follows_id) | Q(follows=need))
        .select_related("review")
        .order_by("review__cycle", "ref")
    )
    earlier, later = None, []
    for other in related:
        if other.pk == need.follows_id:
            earlier = other
        else:
            later.append(other)
    return earlier, later


def follow_chains(user, needs: QuerySet) -> list[tuple[Need, list[Need]]]:
    """[(earlier need, [the later needs of `needs` that follow it])], where the user may see
    both ends and both count (accepted), the earlier needs in the order of the Convention.

    One query, with plain joins: the earlier need's visibility is the same rule read through
    `follows` (a State's needs follow needs of that State only). An `IN (visible needs)`
    subquery instead was planned as nested scans once the table's statistics were stale,
    which took minutes for 500 needs.
    """
    later = needs.visible_to(user).filter(Need.COUNTED, follows__acceptance=Acceptance.ACCEPTED)
    earlier_visible = through("follows", Need.objects.all().visibility_filter(Audience.of(user)))
    if earlier_visible is not None:
        later = later.filter(earlier_visible)
    later = later.select_related(
        "review", "follows__review", "follows__chapter", "follows__article"
    ).order_by(
        "follows__review__cycle",
        "follows__chapter__number",
        "follows__article__number",
        "follows_id",
        "review__cycle",
        "id",
    )
    chains: dict[int, tuple[Need, list[Need]]] = {}
    for successor in later:
        chains.setdefault(successor.follows_id, (successor.follows, []))[1].append(successor)
    return list(chains.values())


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
