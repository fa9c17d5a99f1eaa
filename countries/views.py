"""The State list and the country pages: a summary of each State and its sections (needs,
proposed needs, assistance received, donors' interest), each at its own address."""

from functools import wraps

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.access import can_see_donor_interest, can_see_personal_data, signed_in
from core.changes import cache_key, data_version
from core.pages import (
    PAGE_SIZE,
    allowed_by,
    filled_csrf_token,
    public_page_path,
    render_public_page,
    tidy_filter_form,
    with_csrf_token,
)
from core.paging import IdsFirstPaginator
from needs.action_exports import FORMATS as ACTION_EXPORT_FORMATS
from needs.exports import FORMATS as EXPORT_FORMATS
from needs.filters import NeedActionFilterSet, NeedFilterSet
from needs.models import Need, Status, stale_before
from needs.rules import can_maintain_state_needs
from reviews.filters import StateFilterSet
from reviews.models import State

from . import selectors, summary


@require_GET
def state_list(request):
    parties = State.objects.filter(is_party=True)
    filterset = StateFilterSet(request.GET or None, queryset=parties)
    # Five regional groups read better as checkboxes than as a multiple select box.
    region = filterset.form.fields["region"]
    region.widget = forms.CheckboxSelectMultiple(choices=region.choices)
    if filterset.is_bound and not filterset.is_valid():
        return render(
            request,
            "countries/state_list.html",
            {"filterset": filterset, "rows": [], "total_needs": 0, "total_unmet": 0},
            status=400,
        )
    states = selectors.state_list_rows(request.user, filterset.qs)
    rows = [(state, selectors.reviews_by_cycle(state)) for state in states]
    return render(
        request,
        "countries/state_list.html",
        {
            "filterset": filterset,
            "rows": rows,
            "total_needs": sum(state.need_count for state, _ in rows),
            "total_unmet": sum(state.unmet_count for state, _ in rows),
        },
    )


# --- The country page: its sections -------------------------------------------------------
# (URL name, tab label, whether the user sees the section of this State)
SECTIONS = (
    (
        "countries:state_detail",
        pgettext_lazy("country page section", "Summary"),
        lambda user, state: True,
    ),
    ("countries:state_needs", _("Needs"), lambda user, state: True),
    ("countries:state_proposals", _("Proposed needs"), can_maintain_state_needs),
    ("countries:state_actions", _("Follow-up actions"), lambda user, state: True),
    ("countries:state_assistance", _("Assistance received"), lambda user, state: True),
    ("countries:state_interest", _("Donors' interest"), lambda user, state: signed_in(user)),
)
PAGE_CACHE_SECONDS = 60 * 60


def _upper_case_address(request, iso3: str):
    """The same section of the State written in capitals, with the same query."""
    target = reverse(request.resolver_match.view_name, args=[iso3.upper()])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)


def state_section(view):
    """A section of the country page: `view(request, state)` for the State of the address
    (404 if there is none); a lower-case code leads to the address in capitals."""

    @wraps(view)
    def wrapped(request, iso3: str):
        if iso3 != iso3.upper():
            return _upper_case_address(request, iso3)
        state = get_object_or_404(State.objects.select_related("regional_group"), iso3=iso3)
        return view(request, state)

    return wrapped


def _section_context(request, state: State, **context) -> dict:
    """What every section shows around its content: the State and the tabs to the others."""
    user = request.user
    current = request.resolver_match.view_name
    return {
        "state": state,
        "tabs": [
            {"url": reverse(name, args=[state.iso3]), "label": label, "current": name == current}
            for name, label, shown in SECTIONS
            if shown(user, state)
        ],
        "can_see_personal_data": can_see_personal_data(user),
        **context,
    }


@require_GET
def state_detail(request, iso3: str):
    """The summary. The public's copy is cached whole per State, language and data version,
    with each visitor's CSRF token put in; everyone else's is built around the part its
    audience shares (`summary.shared_part`)."""
    if iso3 != iso3.upper():
        return _upper_case_address(request, iso3)
    version = data_version()
    public_path = public_page_path(request)
    page_key = public_path and f"country-page:{iso3}:{public_path}:{version}:{stale_before()}"
    if page_key and (page := cache.get(page_key)) is not None:
        return with_csrf_token(request, page)
    state = get_object_or_404(State.objects.select_related("regional_group"), iso3=iso3)
    context = _section_context(request, state, **summary.context(request, state, version))
    if not page_key:
        return render(request, "countries/state_detail.html", context)
    page = render_public_page(request, "countries/state_detail.html", context)
    cache.set(page_key, page, PAGE_CACHE_SECONDS)
    return with_csrf_token(request, page)


# The needs section filters with these fields of the shared NeedFilterSet; other parameters
# of the address are ignored.
NEED_FILTERS = ("q", "cycle", "chapter", "category", "status", "priority", "coverage", "stale")
NEEDS_PER_PAGE = 50


def _can_propose(user, state: State) -> bool:
    """Whether the user may propose needs for the State: its focal point and staff, once the
    State has a review to propose them for."""
    return can_maintain_state_needs(user, state) and state.reviews.exists()


def _tidy_need_filter_form(form: forms.Form) -> forms.Form:
    """The shared filters as a State's needs offer them: the chapters under review, and
    the short lists as checkboxes."""
    tidy_filter_form(form)
    chapter = form.fields["chapter"]
    chapter.queryset = chapter.queryset.filter(reviewed_in_cycle__isnull=False)
    chapter.label = _("Chapter")
    for name in ("status", "priority", "coverage"):
        field = form.fields[name]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    return form


def _filtered_section(
    request, filterset_class, names, queryset, *, tidy, paginator, per_page, download_base
):
    """A section's list filtered by the shared FilterSet on the fields the section offers
    (names; the other query parameters are not filters), its form tidied before it
    validates, and the page asked for; no rows while the filters are invalid.
    Returns the rows' paginator, what the section's template shows of the filters (form,
    errors, the filters as a query string, and the download link's query: download_base and
    the filters) and whether the filters are valid."""
    filter_data = QueryDict(mutable=True)
    for name in names:
        if name in request.GET:
            filter_data.setlist(name, request.GET.getlist(name))
    filterset = filterset_class(filter_data, queryset=queryset)
    tidy(filterset.form)
    valid = filterset.is_valid()
    rows = paginator(filterset.qs if valid else queryset.none(), per_page)
    filter_query = filter_data.urlencode()
    filters = {
        "form": filterset.form,
        "filter_errors": filterset.errors,
        "filter_query": filter_query,
        "download_query": "&".join(part for part in (download_base, filter_query) if part),
    }
    return rows, filters, valid


@require_GET
@state_section
def state_needs(request, state: State):
    """The State's needs, filtered and paged. The section (its filters, the list and the
    follow-up chains below it) is rendered once per address, language, data version,
    audience and day, with each person's CSRF token put in: a page of 50 needs with their
    sources, trails and chains costs 60-70 ms to render, the filters 10 ms more, and at 100
    times today's data every page is full."""
    user = request.user
    can_maintain = can_maintain_state_needs(user, state)
    key = cache_key(
        "state-needs",
        request.get_full_path(),  # the filters, the page, and where the list's forms come back
        get_language(),
        data_version(),
        stale_before().isoformat(),
        Need.objects.visibility_key(user),
        can_maintain,
        can_see_personal_data(user),
    )
    section = cache.get(key)
    if section is None:
        section = _render_needs_section(request, state, can_maintain=can_maintain)
        cache.set(key, section, PAGE_CACHE_SECONDS)
    context = _section_context(
        request,
        state,
        # Rendered by our own templates, escaped there.
        needs_filters=mark_safe(section["filters"]),
        needs_list=filled_csrf_token(request, section["list"]),
        chains_section=mark_safe(section["chains"]),
        download_query=section["download_query"],
        download_formats=EXPORT_FORMATS,
        can_propose=_can_propose(user, state),
    )
    return render(
        request, "countries/state_needs.html", context, status=200 if section["valid"] else 400
    )


def _render_needs_section(request, state: State, *, can_maintain: bool) -> dict:
    """{"filters", "list", "chains"} of the needs section as HTML (the list with a slot for
    the CSRF token), whether its filters are valid, and the query of its download links."""
    user = request.user
    rows, filters, valid = _filtered_section(
        request,
        NeedFilterSet,
        NEED_FILTERS,
        selectors.state_needs(user, state),
        tidy=_tidy_need_filter_form,
        paginator=IdsFirstPaginator,
        per_page=NEEDS_PER_PAGE,
        download_base=f"state={state.iso3}&acceptance=accepted",
    )
    needs = rows.get_page(request.GET.get("page"))
    chains = selectors.state_follow_chains(user, state)
    selectors.with_successors(needs, chains)
    context = {
        "state": state,
        "needs": needs,
        **filters,
        "can_maintain": can_maintain,
        "can_see_personal_data": can_see_personal_data(user),
        "unmet_status": Status.UNMET,
        "chains": chains,
    }
    section = {
        name: render_public_page(request, f"countries/_state_needs_{name}.html", context)
        for name in ("filters", "list", "chains")
    }
    return section | {"valid": valid, "download_query": filters["download_query"]}


@allowed_by(signed_in)
@require_GET
@state_section
def state_proposals(request, state: State):
    if not can_maintain_state_needs(request.user, state):
        raise PermissionDenied(_("Only the State's focal point and staff see its proposed needs."))
    proposals = Paginator(selectors.state_proposals(request.user, state), PAGE_SIZE)
    context = _section_context(
        request,
        state,
        proposals=proposals.get_page(request.GET.get("page")),
        can_propose=_can_propose(request.user, state),
    )
    return render(request, "countries/state_proposals.html", context)


# The actions section filters with these fields of the shared NeedActionFilterSet.
ACTION_FILTERS = ("overdue", "status", "in_national_action_plan", "cycle")
ACTIONS_PER_PAGE = 50


def _tidy_action_filter_form(form: forms.Form) -> forms.Form:
    """The shared action filters as a State's actions offer them: statuses as checkboxes."""
    tidy_filter_form(form)
    status = form.fields["status"]
    status.widget = forms.CheckboxSelectMultiple(choices=status.choices)
    return form


@require_GET
@state_section
def state_actions(request, state: State):
    """The follow-up actions on the State's needs, paged, with an overdue filter."""
    rows, filters, valid = _filtered_section(
        request,
        NeedActionFilterSet,
        ACTION_FILTERS,
        selectors.state_actions(request.user, state),
        tidy=_tidy_action_filter_form,
        paginator=Paginator,
        per_page=ACTIONS_PER_PAGE,
        download_base=f"state={state.iso3}",
    )
    actions = rows.get_page(request.GET.get("page"))
    context = _section_context(
        request,
        state,
        actions=actions,
        **filters,
        overdue_query="overdue=true",
        download_formats=ACTION_EXPORT_FORMATS,
    )
    return render(request, "countries/state_actions.html", context, status=200 if valid else 400)


ACTIVITIES_PER_PAGE = 25


@require_GET
@state_section
def state_assistance(request, state: State):
    activities = Paginator(selectors.state_activities(request.user, state), ACTIVITIES_PER_PAGE)
    context = _section_context(
        request,
        state,
        activities=activities.get_page(request.GET.get("page")),
        activity_pages=selectors.url_name_resolves("assistance:activity_detail", "REF"),
    )
    return render(request, "countries/state_assistance.html", context)


@allowed_by(can_see_donor_interest)
@require_GET
@state_section
def state_interest(request, state: State):
    interests = Paginator(selectors.state_donor_interests(request.user, state), PAGE_SIZE)
    context = _section_context(
        request, state, interests=interests.get_page(request.GET.get("page"))
    )
    return render(request, "countries/state_interest.html", context)
