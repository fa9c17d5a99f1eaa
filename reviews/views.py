"""Staff pages for reviews: list, review page, create, edit, delete, history."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods

from core.access import can_manage_needs, can_manage_reviews
from core.changes import cache_key, data_version
from core.history import history_or_404
from core.pages import (
    PAGE_SIZE,
    allowed_by,
    apply_service_errors,
    edit_page,
    query_without_page,
    tidy_filter_form,
)
from translations.lookup import localized

from . import selectors
from .filters import ReviewFilterSet
from .forms import ReviewForm
from .models import Review
from .services import review_create, review_delete, review_update

REVIEW_PAGE_NEEDS = 50
# A reference label corrected in the admin (which moves no data version) shows within this.
NEEDS_SECTION_CACHE_SECONDS = 60 * 60


@allowed_by(can_manage_reviews)
@require_GET
def review_list(request):
    filterset = ReviewFilterSet(
        request.GET, queryset=selectors.review_list(request.user).order_by("state__name", "cycle")
    )
    tidy_filter_form(filterset.form)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_list.html",
        {"filterset": filterset, "page": page, "query": query_without_page(request)},
        status=400 if filterset.errors else 200,
    )


def _review(request, pk: int) -> Review:
    return get_object_or_404(
        selectors.review_list(request.user).select_related("updated_by"), pk=pk
    )


@allowed_by(can_manage_reviews)
@require_GET
def review_detail(request, pk: int):
    review = _review(request, pk)
    needs_section = _needs_section(request, review)
    milestones = [
        {"field": name, "label": label, "date": getattr(review, name)}
        for name, label in Review.MILESTONES
    ]
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "needs_section": mark_safe(needs_section["html"]),  # our template, escaped there
            "need_total": needs_section["total"],
            "milestones": milestones,
        },
    )


def _needs_section(request, review: Review) -> dict:
    """{"html", "total"} of the review's needs, rendered once per review, language, data
    version (moved on by every write), audience (the needs' `visibility_key`, whether the
    person manages needs) and day staleness counts from: equal keys, equal HTML. At 100 times
    today's volume the page shows 50 needs where today it shows about 12; from the cache
    both cost the same."""
    user = request.user
    can_manage = can_manage_needs(user)
    key = cache_key(
        "review-needs",
        review.pk,
        review.version,
        get_language(),
        data_version(),
        review.needs.visibility_key(user),
        can_manage,
        timezone.localdate().isoformat(),
    )
    section = cache.get(key)
    if section is not None:
        return section
    # Through the reverse relation: the needs app sits above reviews.
    all_needs = review.needs.visible_to(user).for_lists()
    # A review has tens of needs; should one have thousands, the page shows the first ones
    # and sends to the needs list for the rest, instead of becoming unusable. Counted
    # always, so that the page costs the same queries for 5 needs or 5,000.
    needs = list(
        all_needs.order_by("chapter__number", F("article__number").asc(nulls_first=True), "id")[
            :REVIEW_PAGE_NEEDS
        ]
    )
    total = all_needs.count()
    html = render_to_string(
        "reviews/_review_needs.html",
        {"review": review, "needs": needs, "need_total": total, "can_manage_needs": can_manage},
        request,
    )
    section = {"html": html, "total": total}
    cache.set(key, section, NEEDS_SECTION_CACHE_SECONDS)
    return section


@allowed_by(can_manage_reviews)
@require_http_methods(["GET", "POST"])
def review_create_view(request):
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_create(
                state=form.cleaned_data["state"],
                cycle=form.cleaned_data["cycle"],
                reviewing_states=form.reviewing_states(),
                user=request.user,
                **form.milestones(),
            )
        except ValidationError as error:
            apply_service_errors(form, error, {"reviewing_states": "reviewing_state_1"})
        else:
            messages.success(
                request,
                gettext("Review of %(state)s, cycle %(cycle)s, created.")
                % {"state": localized(review.state), "cycle": review.cycle},
            )
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/review_form.html",
        {"form": form, "review": None},
        status=400 if form.errors else 200,
    )


@allowed_by(can_manage_reviews)
@require_http_methods(["GET", "POST"])
def review_edit(request, pk: int):
    review = _review(request, pk)

    def done(saved):
        messages.success(request, gettext("Review saved."))
        return redirect("reviews:review_detail", pk=saved.pk)

    return edit_page(
        request,
        Review,
        form=lambda data: ReviewForm(data, review=review),
        save=lambda form: review_update(
            review=review,
            user=request.user,
            seen_version=form.cleaned_data["version"],
            reviewing_states=form.reviewing_states(),
            **form.milestones(),
        ),
        show=lambda form, status=200, **extra: render(
            request, "reviews/review_form.html", _edit_context(form, **extra), status=status
        ),
        done=done,
        aliases={"reviewing_states": "reviewing_state_1"},
    )


def _edit_context(form: ReviewForm, **extra) -> dict:
    return {"form": form, "review": form.review, **extra}


@allowed_by(can_manage_reviews)
@require_http_methods(["GET", "POST"])
def review_delete_view(request, pk: int):
    review = _review(request, pk)
    if request.method == "POST":
        try:
            review_delete(review=review, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(
                request, "reviews/review_confirm_delete.html", {"review": review}, status=409
            )
        messages.success(
            request,
            gettext("Review of %(state)s, cycle %(cycle)s, deleted.")
            % {"state": localized(review.state), "cycle": review.cycle},
        )
        return redirect("reviews:review_list")
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


@allowed_by(can_manage_reviews)
@require_GET
def review_history(request, pk: int):
    entries, latest, review = history_or_404(
        Review, pk, "state", missing=gettext("This review has no history.")
    )
    return render(
        request,
        "reviews/review_history.html",
        {
            "review": review,
            "state": latest.state,
            "cycle": latest.cycle,
            "entries": entries,
            "back_url": reverse("reviews:review_detail", args=[pk]) if review else None,
        },
    )
