"""Reads for the State list and the country page, each at a fixed number of queries.

Every row comes through its model's `visible_to`, so what a person sees on these pages is what
the rules allow them, whatever the data size.
"""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from assistance.models import Activity, DonorInterest, FundingContribution
from core.access import can_see_personal_data
from core.models import Role, User
from needs.models import Category, Need, NeedComment, Status, stale_q
from needs.selectors import need_list
from reviews.milestones import review_stage
from reviews.models import CYCLE_CHOICES, Review, State
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


# --- /states/<iso3>/ ----------------------------------------------------------------------
def url_name_resolves(name: str, *args) -> bool:
    """Whether a page another part of the application provides exists (yet)."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def state_reviews(user, state: State) -> list[Review]:
    return list(review_list(user, Review.objects.filter(state=state)).order_by("cycle"))


def state_needs(user, state: State) -> QuerySet:
    """The State's accepted needs, grouped-ready (cycle, chapter, article), with their trail."""
    comments = NeedComment.objects.order_by("-created_at", "-id")
    related = ["review"]
    if can_see_personal_data(user):
        comments = comments.select_related("author")
        related.append("last_confirmed_by")
    return (
        need_list(user, Need.objects.filter(Need.COUNTED, review__state=state))
        .select_related(*related)
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by(
            "review__cycle",
            "chapter__number",
            F("article__number").asc(nulls_first=True),
            "id",
        )
    )


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


def need_figures(user, state: State) -> dict:
    """Totals, possibly stale and per status, counted by the database in one query."""
    needs = Need.objects.filter(Need.COUNTED, review__state=state).visible_to(user)
    return needs.aggregate(
        total=Count("pk"),
        stale=Count("pk", filter=stale_q()),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values},
    )


def needs_by_status(figures: dict) -> list[tuple[str, int]]:
    # str(): the labels are lazy translations, which the chart cannot serialise.
    return [(str(label), figures[f"status_{value}"]) for value, label in Status.choices]


def needs_by_category(user, state: State) -> list[tuple[str, int]]:
    """Every category, with the number of the State's needs in it (GROUP BY in the database)."""
    counts = dict(
        Need.objects.filter(Need.COUNTED, review__state=state)
        .visible_to(user)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("category", "count")
    )
    return [
        (localized(category), counts.get(category.pk, 0))
        for category in Category.objects.order_by("position", "label")
    ]


ACTIVITIES_SHOWN = 25


def state_activities(user, state: State) -> QuerySet:
    funding = FundingContribution.objects.select_related("donor").visible_to(user)
    return (
        Activity.objects.filter(beneficiary_states=state)
        .visible_to(user)
        .select_related("provider")
        .prefetch_related(Prefetch("funding", queryset=funding))
        .order_by(F("start_date").desc(nulls_last=True), "title")
    )


def state_donor_interests(user, state: State) -> QuerySet:
    """Active interest and commitments in the State's needs; nothing for the public."""
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
