import datetime

from django.conf import settings
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from core.permissions import visible_needs


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Needs last confirmed (or, never confirmed, identified) before this date are stale."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.NEED_STALE_AFTER_DAYS)


def stale_q(today: datetime.date | None = None) -> Q:
    cutoff = stale_before(today)
    return (
        Q(last_confirmed_on__lt=cutoff)
        | Q(last_confirmed_on__isnull=True, identified_on__lt=cutoff)
        | Q(last_confirmed_on__isnull=True, identified_on__isnull=True, created_at__date__lt=cutoff)
    )


def with_staleness(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        is_stale=Case(
            When(stale_q(), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def need_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Needs the user may see, with everything list pages and exports show, in fixed queries."""
    return with_staleness(
        visible_needs(user, queryset)
        .select_related(
            "review__state__regional_group",
            "chapter",
            "article",
            "category",
            "subcategory",
        )
        .prefetch_related("themes")
    )
