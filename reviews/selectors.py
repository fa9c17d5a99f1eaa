from django.db.models import QuerySet

from .models import Article, Chapter, Review


def chapters_reviewed_in(cycle: int) -> QuerySet:
    return Chapter.objects.filter(reviewed_in_cycle=cycle).order_by("number")


def articles_reviewed_in(cycle: int) -> QuerySet:
    return Article.objects.filter(chapter__reviewed_in_cycle=cycle).select_related("chapter")


def review_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Reviews the user may see, with what list pages show, at a fixed number of queries."""
    queryset = Review.objects.all() if queryset is None else queryset
    return queryset.visible_to(user).for_lists()
