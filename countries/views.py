"""The State list and the country page: each State's reviews, needs and assistance."""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from core.access import can_see_donor_interest, can_see_personal_data
from core.charts import bar_chart
from needs.exports import FORMATS as EXPORT_FORMATS
from needs.filters import NeedFilterSet
from needs.models import Need, Status
from needs.rules import can_maintain_state_needs, can_propose_need
from reviews.filters import StateFilterSet
from reviews.milestones import review_stage, review_timeline
from reviews.models import State
from translations.lookup import localized

from . import selectors


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


NEEDS_PER_PAGE = 50
# The country page filters its needs with these fields of the shared NeedFilterSet.
NEED_FILTERS = ("stale", "status")


@require_GET
def state_detail(request, iso3: str):
    if iso3 != iso3.upper():
        return redirect("countries:state_detail", iso3=iso3.upper())
    user = request.user
    state = get_object_or_404(State.objects.select_related("regional_group"), iso3=iso3)
    filter_data = QueryDict(mutable=True)
    for name in NEED_FILTERS:
        filter_data.setlist(name, request.GET.getlist(name))
    need_filter = NeedFilterSet(filter_data, queryset=selectors.state_needs(user, state))
    filters_valid = need_filter.is_valid()
    needs = Paginator(need_filter.qs if filters_valid else Need.objects.none(), NEEDS_PER_PAGE)
    reviews = selectors.state_reviews(user, state)
    by_cycle = {review.cycle: review for review in reviews}
    figures = selectors.need_figures(user, state)
    by_category = selectors.needs_by_category(user, state)
    by_status = selectors.needs_by_status(figures)
    activities = selectors.state_activities(user, state)
    context = {
        "state": state,
        "cycles": [
            (
                cycle,
                by_cycle.get(cycle),
                review_timeline(by_cycle[cycle]) if cycle in by_cycle else [],
                review_stage(by_cycle[cycle]) if cycle in by_cycle else "",
            )
            for cycle in (1, 2)
        ],
        "needs": needs.get_page(request.GET.get("page")),
        "need_filter_errors": need_filter.errors,
        "need_filter_query": filter_data.urlencode(),
        "stale_only": filter_data.get("stale") == "true",
        "selected_statuses": filter_data.getlist("status"),
        "status_choices": Status.choices,
        "proposals": list(selectors.state_proposals(user, state)),
        "figures": figures,
        "by_category": by_category,
        "by_status": by_status,
        "category_chart": bar_chart(
            title=gettext("Needs of %(name)s by category") % {"name": localized(state)},
            labels=[label for label, _ in by_category],
            series={gettext("Needs"): [count for _, count in by_category]},
        ),
        "status_chart": bar_chart(
            title=gettext("Needs of %(name)s by status") % {"name": localized(state)},
            labels=[label for label, _ in by_status],
            series={gettext("Needs"): [count for _, count in by_status]},
        ),
        # The most recent ones; the activity list has them all (at 100 times today's volume
        # a State receives hundreds, which made the page slow to build and to read).
        "activities": activities[: selectors.ACTIVITIES_SHOWN],
        "activity_total": activities.count(),
        "activity_pages": selectors.url_name_resolves("assistance:activity_detail", "REF"),
        "donor_interests": selectors.state_donor_interests(user, state),
        "can_see_donor_interest": can_see_donor_interest(user),
        "focal_points": selectors.state_focal_points(user, state),
        "can_see_personal_data": can_see_personal_data(user),
        "can_maintain": can_maintain_state_needs(user, state),
        "can_propose": any(can_propose_need(user, review) for review in reviews),
        "unmet_status": Status.UNMET,
        "stale_after_days": settings.NEED_STALE_AFTER_DAYS,
        "download_formats": EXPORT_FORMATS,
    }
    return render(
        request, "countries/state_detail.html", context, status=200 if filters_valid else 400
    )
