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
    see both ends, the earlier needs in the order of the Convention: two queries."""
    later = (
        needs.visible_to(user)
        .filter(Need.COUNTED, follows__isnull=False)
        .filter(follows__in=needs.visible_to(user).filter(Need.COUNTED))
        .select_related("review", "chapter", "article")
        .order_by("review__cycle", "chapter__number", "article__number", "id")
    )
    by_earlier: dict[int, list[Need]] = {}
    for successor in later:
        by_earlier.setdefault(successor.follows_id, []).append(successor)
    earlier = (
        Need.objects.filter(pk__in=list(by_earlier))
        .select_related("review", "chapter", "article")
        .order_by("review__cycle", "chapter__number", "article__number", "id")
    )
    return [(need, by_earlier[need.pk]) for need in earlier]
