"""Writes for saved searches: save, rename, change the filters or the alert, delete, and
turn the alert off from an e-mail's link."""

from collections.abc import Mapping
from urllib.parse import urlencode

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.selectors import CATALOGUE_FILTERED_MARKER, catalogue_query
from core.api.filters import BOOLEAN_WORDS
from needs.filters import NeedFilterSet
from needs.models import Need

from .models import AlertFrequency, SavedSearch, SearchedView
from .rules import can_save_search
from .selectors import as_query_dict

# The filters of a saved search go into links (pages, e-mails): keep them to a usable length.
MAX_QUERY_LENGTH = 2000
# What a yes/no filter of an HTML form sends for "any".
ANY_BOOLEAN = {"unknown"}
# Filters whose values keep their order (sorting, free text); the others are sets.
ORDERED_FILTERS = {"q", "ordering"}


def _no_value(value) -> bool:
    """A cleaned filter value that does not filter (False does: "not stale")."""
    if value is None or value == "":
        return True
    return hasattr(value, "__len__") and not isinstance(value, str) and len(value) == 0


def normalised_query(*, view: str, query: Mapping) -> dict[str, list[str]]:
    """The filters of `query` that filter, checked by the needs' FilterSet: {name: [values]},
    sorted. `query` is the view's address as a QueryDict, or {name: value or [values]}.

    For the catalogue, a query without its `filtered` marker gets the catalogue's defaults,
    as its address would; the marker itself is not kept (the saved search's link adds it).
    """
    data = QueryDict(mutable=True)
    for name, values in as_query_dict(query).lists():
        # An empty value on a page's form means "any": not a filter. Nor is the page number.
        if name != "page" and any(value.strip() for value in values):
            data.setlist(name, [value for value in values if value.strip()])
    if view == SearchedView.CATALOGUE:
        data, _defaults = catalogue_query(data)
        data.pop(CATALOGUE_FILTERED_MARKER)
    filterset = NeedFilterSet(data, queryset=Need.objects.none())
    problems = []
    unknown = sorted(set(data) - set(filterset.filters))
    if unknown:
        problems.append(_("Unknown filters: %(names)s.") % {"names": ", ".join(unknown)})
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, django_filters.BooleanFilter) and any(
            value not in BOOLEAN_WORDS | ANY_BOOLEAN for value in data.getlist(name)
        ):
            problems.append(_("%(name)s: use true or false.") % {"name": name})
    if not problems and not filterset.is_valid():
        problems += [
            f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
        ]
    if problems:
        raise ValidationError({"query": problems})
    cleaned = filterset.form.cleaned_data
    normal = {}
    for name in sorted(data):
        if _no_value(cleaned.get(name)):
            continue
        values = [value.strip() for value in data.getlist(name)]
        normal[name] = values if name in ORDERED_FILTERS else sorted(set(values))
    if len(urlencode(normal, doseq=True)) > MAX_QUERY_LENGTH:
        raise ValidationError(
            {
                "query": _("These filters are too long to save (at most %(max)s characters).")
                % {"max": MAX_QUERY_LENGTH}
            }
        )
    return normal


def _check_view(owner, view: str) -> None:
    if view not in SearchedView.values:
        raise ValidationError({"view": _("Choose the needs list or the catalogue of unmet needs.")})
    if not can_save_search(owner, view):
        raise PermissionDenied(_("Only secretariat staff may save searches of the needs list."))


def _chosen(view: str, query: dict) -> dict:
    """Saved filters checked again for a view: the person's own choice, so the catalogue
    adds no defaults to them."""
    if view == SearchedView.CATALOGUE:
        return {**query, CATALOGUE_FILTERED_MARKER: "1"}
    return query


def _save(search: SavedSearch) -> SavedSearch:
    # The constraints are checked below and by the database, with the name as the culprit.
    search.full_clean(validate_constraints=False)
    duplicate = (
        SavedSearch.objects.filter(owner_id=search.owner_id, name__iexact=search.name)
        .exclude(pk=search.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError:
        # The same name saved at the same moment by another request of the same person.
        raise ValidationError(
            {"name": _("You already have a saved search with this name.")}
        ) from None
    return search


@transaction.atomic
def saved_search_create(
    *,
    owner,
    name: str,
    view: str,
    query: Mapping | None = None,
    alert: str = AlertFrequency.NONE,
) -> SavedSearch:
    """`query` is the view's address (None: the view as it opens)."""
    _check_view(owner, view)
    search = SavedSearch(
        owner=owner,
        name=name.strip(),
        view=view,
        query=normalised_query(view=view, query=query or {}),
        alert=alert,
        # The first alert lists what changes from now on, not everything the search finds.
        last_alerted_at=timezone.now(),
    )
    return _save(search)


@transaction.atomic
def saved_search_update(
    *,
    saved_search: SavedSearch,
    name: str | None = None,
    view: str | None = None,
    query: Mapping | None = None,
    alert: str | None = None,
) -> SavedSearch:
    """Change what is given (None: unchanged). Changing the filters checks them again,
    against the view's FilterSet and the owner's right to open the view."""
    search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if name is not None:
        search.name = name.strip()
    if view is not None or query is not None:
        search.view = view if view is not None else search.view
        _check_view(search.owner, search.view)
        if query is None:
            query = _chosen(search.view, search.query)
        search.query = normalised_query(view=search.view, query=query)
    if alert is not None:
        if search.alert == AlertFrequency.NONE and alert != AlertFrequency.NONE:
            # Switched on: from now on, not everything since the search was saved.
            search.last_alerted_at = timezone.now()
        search.alert = alert
    return _save(search)


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    SavedSearch.objects.filter(pk=saved_search.pk).delete()


def alert_unsubscribe(*, saved_search: SavedSearch) -> bool:
    """Turn the saved search's alert off; False when it already was (or the search is gone)."""
    return bool(
        SavedSearch.objects.filter(pk=saved_search.pk)
        .exclude(alert=AlertFrequency.NONE)
        .update(alert=AlertFrequency.NONE, updated_at=timezone.now())
    )
