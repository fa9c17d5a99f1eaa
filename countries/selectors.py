"""Reads for the State list and the country pages, each at a fixed number of queries.

Every row comes through its model's `visible_to`, so what a person sees on these pages is what
the rules allow them, whatever the data size.
"""

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.urls import NoReverseMatch, reverse

from assistance.models import Activity, DonorInterest, FundingContribution
from core.access import can_see_personal_data
from core.models import Role, User
from needs.digest import SETTLED_STATUSES, needs_to_confirm
from needs.models import Acceptance, Category, Need, NeedAction, NeedComment, Status, stale_q
from needs.selectors import follow_chains, need_actions, need_list
from reviews.milestones import review_stage
from reviews.models import CYCLE_CHOICES, Chapter, Review, State
from reviews.selectors import review_list
from translations.lookup import localized


# --- /states/ -----------------------------------------------------------------------------
def state_list_rows(user, queryset: QuerySet) -> list[State]:
    """The States of `queryset` with `need_count` and `unmet_count` (the accepted needs the
    user may see) and `visible_review_list` (their reviews the user may see, by cycle).

    Three queries whatever the number of States: the States, their reviews, and one GROUP BY
    over the needs (a single scan, where a count per State would read the table per State).
    """
    states = list(
        queryset.select_related("regional_group").prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.order_by("cycle").visible_to(user),
                to_attr="visible_review_list",
            )
        )
    )
    counts = {
        row["review__state"]: row
        for row in Need.objects.visible_to(user)
        .filter(Need.COUNTED, review__state__in=queryset.values("pk"))
        .values("review__state")
        .annotate(total=Count("pk"), unmet=Count("pk", filter=Q(status=Status.UNMET)))
        .order_by()
    }
    for state in states:
        row = counts.get(state.pk, {"total": 0, "unmet": 0})
        state.need_count, state.unmet_count = row["total"], row["unmet"]
    return states


def reviews_by_cycle(state: State) -> list[tuple[int, Review | None, str]]:
    """[(cycle, review or None, stage)] from the prefetched `visible_review_list`."""
    by_cycle = {review.cycle: review for review in state.visible_review_list}
    return [
        (cycle, by_cycle.get(cycle), review_stage(by_cycle[cycle]) if cycle in by_cycle else "")
        for cycle, _ in CYCLE_CHOICES
    ]


# --- /states/<iso3>/ and its sections ------------------------------------------------------
def url_name_resolves(name: str, *args) -> bool:
    """Whether a page another part of the application provides exists (yet)."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def first_with_total(queryset: QuerySet, count: int) -> tuple[list, int]:
    """The first `count` rows of `queryset` and how many it has in all, in one query (the
    total is a window count, computed before the LIMIT)."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:count])
    return rows, rows[0].rows_in_all if rows else 0


def state_reviews(user, state: State) -> list[Review]:
    return list(review_list(user, Review.objects.filter(state=state)).order_by("cycle"))


def _counted_needs(user, state: State) -> QuerySet:
    return Need.objects.filter(Need.COUNTED, review__state=state).visible_to(user)


def need_figures(user, state: State) -> dict:
    """Totals, possibly stale, waiting for confirmation (stale and still open, as the digest
    asks) and per status, counted by the database in one query."""
    return _counted_needs(user, state).aggregate(
        total=Count("pk"),
        stale=Count("pk", filter=stale_q()),
        to_confirm=Count("pk", filter=stale_q() & ~Q(status__in=SETTLED_STATUSES)),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values},
    )


def needs_by_status(figures: dict) -> list[tuple[str, int, str]]:
    """[(label, count, status)] for every status, from `need_figures`."""
    # str(): the labels are lazy translations, which the chart cannot serialise.
    return [(str(label), figures[f"status_{value}"], value) for value, label in Status.choices]


def needs_by_category(user, state: State) -> list[tuple[str, int, str]]:
    """[(label, count, code)] for every category (GROUP BY in the database)."""
    counts = dict(
        _counted_needs(user, state)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("category", "count")
    )
    return [
        (localized(category), counts.get(category.pk, 0), category.code)
        for category in Category.objects.order_by("position", "label")
    ]


def needs_by_chapter(user, state: State) -> list[dict]:
    """Every chapter under review in some cycle (and any other the needs name), with its
    needs, unmet and possibly stale ones: one GROUP BY and the chapters."""
    counts = {
        row.pop("chapter"): row
        for row in _counted_needs(user, state)
        .values("chapter")
        .annotate(
            needs=Count("pk"),
            unmet=Count("pk", filter=Q(status=Status.UNMET)),
            stale=Count("pk", filter=stale_q()),
        )
        .order_by()
    }
    chapters = Chapter.objects.filter(
        Q(reviewed_in_cycle__isnull=False) | Q(pk__in=list(counts))
    ).order_by(F("reviewed_in_cycle").asc(nulls_last=True), "number")
    empty = {"needs": 0, "unmet": 0, "stale": 0}
    return [{"chapter": chapter, **counts.get(chapter.pk, empty)} for chapter in chapters]


def needs_waiting_for_confirmation(user, state: State) -> QuerySet:
    """The State's needs the digest asks its focal point to confirm, as this user sees them."""
    return needs_to_confirm({state.pk}).visible_to(user)


def state_needs(user, state: State) -> QuerySet:
    """The State's accepted needs, grouped-ready (cycle, chapter, article), with their trail."""
    comments = NeedComment.objects.order_by("-created_at", "-id")
    related = ["review"]
    if can_see_personal_data(user):
        comments = comments.select_related("author")
        related.append("last_confirmed_by")
    return (
        need_list(user, Need.objects.filter(Need.COUNTED, review__state=state))
        .with_follows_ref(user)
        .select_related(*related)
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by(
            "review__cycle",
            "chapter__number",
            F("article__number").asc(nulls_first=True),
            "id",
        )
    )


def state_follow_chains(user, state: State) -> list[tuple[Need, list[Need]]]:
    """Each need of the State's earlier cycle with the later needs that carry it on."""
    return follow_chains(user, Need.objects.filter(review__state=state))


def with_successors(needs, chains: list[tuple[Need, list[Need]]]) -> None:
    """Give each of `needs` its `visible_successors` from the State's chains (no query)."""
    later_of = {earlier.pk: later for earlier, later in chains}
    for need in needs:
        need.visible_successors = later_of.get(need.pk, [])


def state_proposals(user, state: State) -> QuerySet:
    """Needs proposed for the State that staff have not accepted (yet), if the user may see
    them: the State's own focal point and staff."""
    related = ["review", "chapter", "article", "category"]
    if can_see_personal_data(user):
        related.append("proposed_by")
    return (
        Need.objects.filter(review__state=state)
        .visible_to(user)
        .exclude(Need.COUNTED)
        .select_related(*related)
        .order_by("-created_at", "-id")
    )


def state_activities(user, state: State) -> QuerySet:
    """Assistance with the State among the beneficiaries, the latest first."""
    funding = FundingContribution.objects.select_related("donor").visible_to(user)
    return (
        Activity.objects.filter(beneficiary_states=state)
        .visible_to(user)
        .select_related("provider")
        .prefetch_related(Prefetch("funding", queryset=funding))
        .order_by(F("start_date").desc(nulls_last=True), "title", "pk")
    )


def state_donor_interests(user, state: State) -> QuerySet:
    """Active interest and commitments in the State's needs, need by need; nothing for the
    public."""
    return (
        DonorInterest.objects.filter(need__review__state=state, withdrawn_at__isnull=True)
        .visible_to(user)
        .select_related("donor", "need__chapter", "need__article")
        .order_by("need__chapter__number", "need__article__number", "need__id", "donor__name")
    )


def state_focal_points(user, state: State) -> list[User]:
    """The State's focal points, for signed-in users only (personal data)."""
    if not can_see_personal_data(user):
        return []
    return list(
        User.objects.filter(state=state, role=Role.FOCAL_POINT, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
    )


def state_actions(user, state: State) -> QuerySet:
    """The follow-up actions on the State's accepted needs that the user may see, the soonest
    due first."""
    return need_actions(
        user,
        NeedAction.objects.filter(need__review__state=state, need__acceptance=Acceptance.ACCEPTED),
    )
