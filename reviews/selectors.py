from django.db.models import Count, Q, QuerySet

from core.permissions import visible_reviews

from .models import Article, Chapter


def chapters_reviewed_in(cycle: int) -> QuerySet:
    return Chapter.objects.filter(reviewed_in_cycle=cycle).order_by("number")


def articles_reviewed_in(cycle: int) -> QuerySet:
    return Article.objects.filter(chapter__reviewed_in_cycle=cycle).select_related("chapter")


def review_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Reviews the user may see, with what list pages show, at a fixed number of queries."""
    from needs.models import Acceptance

    return (
        visible_reviews(user, queryset)
        .select_related("state__regional_group")
        .prefetch_related("reviewing_states")
        .annotate(
            need_count=Count("needs", filter=Q(needs__acceptance=Acceptance.ACCEPTED)),
        )
    )
