"""Reads: a person's saved searches, what each finds, and which needs an alert lists."""

import datetime
from collections.abc import Mapping

from django import forms
from django.db.models import (
    BooleanField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.http import QueryDict
from django.utils.translation import gettext

from assistance.models import ActivityNeedLink
from assistance.selectors import catalogue_base
from core.expressions import flag
from needs.filters import NeedFilterSet
from needs.selectors import need_list
from reviews.models import Review

from .models import SavedSearch, SearchedView


def saved_searches_of(user) -> QuerySet:
    """The person's own saved searches, by name."""
    return SavedSearch.objects.visible_to(user)


def as_query_dict(query: Mapping) -> QueryDict:
    """{name: value or [values]} (or a QueryDict) as the QueryDict a view's address gives."""
    if isinstance(query, QueryDict):
        return query.copy()
    data = QueryDict(mutable=True)
    for name, values in query.items():
        data.setlist(name, list(values) if isinstance(values, list | tuple) else [values])
    return data


def view_needs(view: str, user) -> QuerySet:
    """The needs `view` lists for `user` before any filter: the needs list every need the
    person may see, the catalogue the accepted ones among them."""
    if view == SearchedView.CATALOGUE:
        return catalogue_base(user)
    return need_list(user)


def search_filterset(view: str, query: Mapping, user) -> NeedFilterSet:
    """The view's FilterSet over what `user` may see, bound to `query`."""
    return NeedFilterSet(as_query_dict(query), queryset=view_needs(view, user))


def describe_query(query: Mapping) -> list[tuple[str, str]]:
    """The saved filters for a person to read: each filter's label with its values (choices
    by their names, reference data by its codes), in the active language."""
    fields = NeedFilterSet().form.fields
    described = []
    for name, values in sorted(query.items()):
        field = fields.get(name)
        if field is None:
            continue
        labels = {}
        if isinstance(field, forms.NullBooleanField):
            labels = {"true": gettext("Yes"), "false": gettext("No")}
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(value): str(label) for value, label in field.choices}
        described.append(
            (str(field.label), ", ".join(labels.get(value, value) for value in values))
        )
    return described


def changed_between(since: datetime.datetime, until: datetime.datetime) -> Q:
    """Needs new or changed in (since, until], for the alerts.

    - created or edited: `updated_at` (every service that writes a need saves it; imports set
      it too);
    - coverage: derived from the links to activities and written without touching
      `updated_at`, so a link added, changed or removed in the window counts (its history);
    - publication: needs become visible to donors and the public when their review's
      executive summary is published, again without touching the need, so a review published
      in the window and not published before it counts for all its needs (its history).
    """
    window = {"history_date__gt": since, "history_date__lte": until}
    links_changed = ActivityNeedLink.history.filter(need_id=OuterRef("pk"), **window)
    review_history = Review.history.filter(id=OuterRef("review_id"))
    published_in_window = review_history.filter(executive_summary_published=True, **window)
    published_at_since = Subquery(
        review_history.filter(history_date__lte=since)
        .order_by("-history_date", "-history_id")
        .values("executive_summary_published")[:1],
        output_field=BooleanField(),
    )
    newly_published = Exists(published_in_window) & Exact(
        Coalesce(published_at_since, Value(False)), Value(False)
    )
    return (
        Q(updated_at__gt=since, updated_at__lte=until)
        | Q(Exists(links_changed))
        | Q(newly_published)
    )


def alert_needs(saved_search: SavedSearch, *, since, until) -> QuerySet | None:
    """The needs the saved search finds for its owner now that are new or changed in
    (since, until], each marked `is_new`; None when its filters no longer validate (a code
    taken out of the reference data)."""
    filterset = search_filterset(saved_search.view, saved_search.query, saved_search.owner)
    if not filterset.is_valid():
        return None
    needs = filterset.qs.filter(changed_between(since, until))
    return needs.select_related("review__state", "chapter", "article").annotate(
        is_new=flag(Q(created_at__gt=since))
    )
