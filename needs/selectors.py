from django.db.models import Q, QuerySet

from .models import Need


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
    """[(earlier need, [the later needs that follow it])] among `needs`, where the user may
    see both ends and both count (accepted), the earlier needs in the order of the
    Convention: one query (the earlier needs come joined to the later ones)."""
    visible = needs.visible_to(user).filter(Need.COUNTED)
    later = (
        visible.filter(follows__in=visible)
        .select_related("review", "follows__review", "follows__chapter", "follows__article")
        .order_by(
            "follows__review__cycle",
            "follows__chapter__number",
            "follows__article__number",
            "follows_id",
            "review__cycle",
            "id",
        )
    )
    chains: dict[int, tuple[Need, list[Need]]] = {}
    for successor in later:
        chains.setdefault(successor.follows_id, (successor.follows, []))[1].append(successor)
    return list(chains.values())
