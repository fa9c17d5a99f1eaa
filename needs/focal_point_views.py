"""A focal point keeps their State's needs current: confirm, change status, propose.
Staff accept or decline the proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core.access import can_manage_needs, signed_in
from core.exceptions import ConcurrentEditError
from core.pages import allowed_by, apply_service_errors, resubmitted, visible_or_404
from reviews.models import State
from translations.lookup import localized

from .focal_point_forms import NeedProposalForm, NeedStatusForm, ProposalDecisionForm
from .models import Acceptance, Need, NeedComment
from .rules import can_maintain_need, can_propose_need
from .services import need_confirm, need_decide_proposal, need_propose, need_set_status


def _maintainable_need(request, pk: int) -> Need:
    """The need if the user may see it (404 otherwise) and maintain it (403 otherwise)."""
    need = visible_or_404(Need.objects.select_related("review__state"), request.user, pk=pk)
    if not can_maintain_need(request.user, need):
        raise PermissionDenied("Only the State's focal point and staff can change this need.")
    return need


def _back_to_page(request, need: Need) -> str:
    """Where the person came from (the country page's summary or its needs, on the page of
    needs they were reading), or the State's needs; never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("countries:state_needs", args=[need.review.state.iso3]) + f"#need-{need.pk}"


@allowed_by(signed_in)
@require_POST
def need_confirm_view(request, pk: int):
    need = need_confirm(need=_maintainable_need(request, pk), user=request.user)
    messages.success(
        request,
        gettext("Need %(ref)s confirmed as still relevant on %(date)s.")
        % {"ref": need.ref, "date": date_format(need.last_confirmed_on, "DATE_FORMAT")},
    )
    return redirect(_back_to_page(request, need))


@allowed_by(signed_in)
@require_http_methods(["GET", "POST"])
def need_status_view(request, pk: int):
    need = _maintainable_need(request, pk)
    status = 200
    if request.method == "POST":
        form = NeedStatusForm(request.POST, current_status=need.status)
        if form.is_valid():
            try:
                updated = need_set_status(
                    need=need,
                    status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                    user=request.user,
                    seen_version=form.cleaned_data["version"],
                )
            except ConcurrentEditError as error:
                # Show the need as it is now and keep what was typed.
                need = error.current
                form = NeedStatusForm(resubmitted(request, error), current_status=need.status)
                form.is_valid()
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    gettext("Status of need %(ref)s changed to “%(status)s”.")
                    % {"ref": updated.ref, "status": updated.get_status_display()},
                )
                return redirect(_back_to_page(request, updated))
        else:
            status = 400
    else:
        form = NeedStatusForm(initial={"version": need.version}, current_status=need.status)
    trail = NeedComment.objects.filter(need=need).select_related("author")
    return render(
        request,
        "needs/focal_status.html",
        {"need": need, "form": form, "trail": trail, "back": _back_to_page(request, need)},
        status=status,
    )


@allowed_by(signed_in)
@require_http_methods(["GET", "POST"])
def need_propose_view(request, iso3: str):
    state = get_object_or_404(State, iso3=iso3.upper())
    reviews = [
        review
        for review in state.reviews.visible_to(request.user)
        if can_propose_need(request.user, review)
    ]
    if not reviews:
        raise PermissionDenied("Only the State's focal point and staff can propose its needs.")
    status = 200
    if request.method == "POST":
        form = NeedProposalForm(request.POST, reviews=reviews)
        if form.is_valid():
            try:
                need = need_propose(review=form.review(), user=request.user, **form.need_fields())
            except ValidationError as error:
                apply_service_errors(form, error, form.service_error_fields)
                status = 400
            else:
                messages.success(
                    request,
                    gettext(
                        "Need %(ref)s proposed. It counts among %(state)s's needs once staff "
                        "accept it."
                    )
                    % {"ref": need.ref, "state": localized(state)},
                )
                return redirect(
                    reverse("countries:state_proposals", args=[state.iso3]) + f"#need-{need.pk}"
                )
        else:
            status = 400
    else:
        form = NeedProposalForm(reviews=reviews)
    return render(
        request, "needs/focal_propose.html", {"state": state, "form": form}, status=status
    )


def _render_proposals(request, *, status: int = 200):
    proposals = (
        Need.objects.filter(acceptance=Acceptance.PROPOSED)
        .select_related(
            "review__state",
            "chapter",
            "article",
            "category",
            "subcategory",
            "proposed_by",
            "follows__review",
        )
        .prefetch_related("themes")
        .order_by("created_at", "id")
    )
    return render(
        request,
        "needs/focal_proposals.html",
        {"proposals": proposals},
        status=status,
    )


# Signed in first, then the method, then the role: a signed-in person who posts to the list
# learns that it is not a form (405) before whether they may decide.
@allowed_by(signed_in)
@require_http_methods(["GET"])
@allowed_by(can_manage_needs)
def proposal_list_view(request):
    return _render_proposals(request)


@allowed_by(signed_in)
@require_POST
@allowed_by(can_manage_needs)
def proposal_decide_view(request, pk: int):
    need = get_object_or_404(Need.objects.select_related("review__state"), pk=pk)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(
            request,
            gettext("Need %(ref)s was neither accepted nor declined: %(problems)s")
            % {"ref": need.ref, "problems": problems},
        )
        return _render_proposals(request, status=400)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        need_decide_proposal(
            need=need, accept=accept, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(
            request,
            gettext("Need %(ref)s: %(problems)s")
            % {"ref": need.ref, "problems": " ".join(error.messages)},
        )
        return _render_proposals(request, status=409)
    message = (
        gettext("Need %(ref)s of %(state)s accepted.")
        if accept
        else gettext("Need %(ref)s of %(state)s declined.")
    )
    messages.success(request, message % {"ref": need.ref, "state": localized(need.review.state)})
    return redirect("needs:proposals")
