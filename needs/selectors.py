from django.db.models import QuerySet

from .models import Need


def need_list(user, queryset: QuerySet | None = None) -> QuerySet:
    """Needs the user may see, with everything list pages and exports show, in fixed queries."""
    queryset = Need.objects.all() if queryset is None else queryset
    return queryset.visible_to(user).for_lists()
