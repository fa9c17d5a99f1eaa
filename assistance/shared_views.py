"""Needs shared by several States of a region: the page, filtered by cycle, region, chapter
and category, sorted by the States whose needs are all unmet, and its CSV and Excel exports.

Everyone may open it: the needs counted are those the person may see (`visible_to`), so the
public and donors see published needs only. The groups are computed by the database and kept
in the cache per visibility and data version (`assistance.selectors.shared_needs_page`).
"""

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.changes import data_version
from core.pages import query_without_page
from core.tabular import csv_response, xlsx_response
from needs.models import Coverage, Need

from .filters import SharedNeedFilterSet
from .selectors import (
    shared_group_document,
    shared_needs_base,
    shared_needs_key,
    shared_needs_page,
)
from .views import invalid_filter_response

PAGE_SIZE = 25


def _filterset(request) -> SharedNeedFilterSet:
    return SharedNeedFilterSet(
        request.GET, queryset=shared_needs_base(request.user), request=request
    )


def shared_groups_key(request, filterset, *, page: int, page_size: int | None) -> str:
    """The name of the answer `shared_groups` gives, and of what is drawn from it."""
    return shared_needs_key(
        filterset,
        page=page,
        page_size=page_size,
        visibility=Need.objects.visibility_key(request.user),
        data_version=data_version(),
    )


def shared_groups(request, filterset, *, page: int = 1, page_size: int | None) -> dict:
    """One page of the groups (all of them when page_size is None) for the person, kept in
    the cache per visibility and data version; the page and the API ask through here."""
    return shared_needs_page(
        request.user,
        filterset,
        page=page,
        page_size=page_size,
        visibility=Need.objects.visibility_key(request.user),
        data_version=data_version(),
    )


@require_GET
def shared_needs(request):
    filterset = _filterset(request)
    context = {"filterset": filterset, "query": query_without_page(request), "page": None}
    if not filterset.is_valid():
        return render(request, "assistance/shared_needs.html", context, status=400)
    number = _page_number(request.GET.get("page"))
    # The same answer renders the same HTML (the groups' table and the filter form): it is
    # kept per answer and language, so a page asked again costs one query, and neither the
    # answer nor its documents are read again (at 100 times today's data, 30-40 States a
    # group: 15 ms).
    key = shared_groups_key(request, filterset, page=number, page_size=PAGE_SIZE)
    if cache.get(make_template_fragment_key("shared_needs", [key, get_language()])):
        context |= {"drawn": True, "fragment_key": key}
        return render(request, "assistance/shared_needs.html", context)
    # The count comes with the groups (one cached answer): ask for the page asked, and for
    # the last one if that was beyond it.
    result = shared_groups(request, filterset, page=number, page_size=PAGE_SIZE)
    paginator = Paginator(range(result["count"]), PAGE_SIZE)
    if number > paginator.num_pages:
        number = paginator.num_pages
        result = shared_groups(request, filterset, page=number, page_size=PAGE_SIZE)
    groups = [shared_group_document(group) for group in result["groups"]]
    context |= {"page": Page(groups, number, paginator), "drawn": True}
    context["fragment_key"] = result["key"]
    return render(request, "assistance/shared_needs.html", context)


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def _export_headers() -> list[str]:
    return [
        _("Regional group"),
        _("Cycle"),
        _("Chapter"),
        _("Article"),
        _("Category"),
        _("Subcategory"),
        _("States"),
        _("States unmet"),
        _("States partly covered"),
        _("States covered"),
        _("Needs"),
        _("States and their coverage"),
        _("Regional activities"),
    ]


def _export_rows(groups):
    coverage = {value: str(label) for value, label in Coverage.choices}
    numbered = _("%(code)s: %(title)s")
    for group in groups:
        article = group["article"]
        subcategory = group["subcategory"]
        yield [
            group["region"]["name"],
            group["cycle"],
            numbered % {"code": group["chapter"]["roman"], "title": group["chapter"]["title"]},
            numbered % {"code": article["number"], "title": article["title"]}
            if article
            else _("In general"),
            group["category"]["label"],
            subcategory["label"] if subcategory else "",
            group["states"],
            group["states_unmet"],
            group["states_partly_covered"],
            group["states_covered"],
            group["needs"],
            "; ".join(
                f"{member['state']['name']} ({member['state']['iso3']}): "
                f"{coverage[member['coverage']]} ({member['need_count']})"
                for member in group["members"]
            ),
            "; ".join(f"{a['ref']}: {a['title']}" for a in group["regional_activities"]),
        ]


@require_GET
def shared_needs_export(request, fmt: str):
    """Every group of the filtered list (not just one page), labels in the active language."""
    filterset = _filterset(request)
    if not filterset.is_valid():
        return invalid_filter_response(filterset)
    result = shared_groups(request, filterset, page_size=None)
    groups = [shared_group_document(group) for group in result["groups"]]
    headers = _export_headers()
    rows = list(_export_rows(groups))
    if fmt == "csv":
        return csv_response("shared-needs.csv", headers, rows)
    return xlsx_response("shared-needs.xlsx", headers, rows, sheet_title=_("Shared needs"))
