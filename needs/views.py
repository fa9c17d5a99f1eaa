"""Staff pages for needs: the list with export, add/edit/delete from the review page,
history, deleted needs and their restoration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import can_manage_needs
from core.history import history_or_404
from core.pages import (
    PAGE_SIZE,
    allowed_by,
    apply_service_errors,
    edit_page,
    query_without_page,
    tidy_filter_form,
    visible_or_404,
)
from reviews.models import Review

from .exports import FORMATS, export_response
from .filters import NeedFilterSet
from .forms import DATE_WIDGET, NeedForm
from .models import Need
from .selectors import NeedPaginator, need_list
from .services import need_create, need_delete, need_restore, need_update


# --- List and export ----------------------------------------------------------------------
@allowed_by(can_manage_needs)
@require_GET
def need_list_view(request):
    filterset = NeedFilterSet(request.GET, queryset=need_list(request.user))
    # Before the form is validated: its bound fields copy the labels then.
    tidy_filter_form(filterset.form)
    for name in ("identified_after", "identified_before"):
        filterset.form.fields[name].widget = DATE_WIDGET
    page = NeedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/need_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query_without_page(request),
            "formats": FORMATS,
        },
        status=400 if filterset.errors else 200,
    )


@require_GET
def need_export(request, fmt: str):
    """Any list of needs the person may see, in the import format (CSV or XLSX)."""
    if fmt not in FORMATS:
        raise Http404("Exports are .csv or .xlsx.")
    filterset = NeedFilterSet(request.GET, queryset=need_list(request.user))
    if filterset.errors:
        fields = filterset.form.fields
        problems = "; ".join(
            # The label says what the filter is, the name finds it in the address.
            gettext("%(label)s (%(name)s): %(problems)s")
            % {
                "label": fields[name].label if name in fields else name,
                "name": name,
                "problems": " ".join(errors),
            }
            for name, errors in filterset.errors.items()
        )
        return render(request, "needs/export_error.html", {"problems": problems}, status=400)
    return export_response(filterset.qs.with_follows_ref(request.user), fmt)


# --- Add, edit, delete --------------------------------------------------------------------
def _review_page(need_or_review) -> str:
    if isinstance(need_or_review, Need):
        return (
            reverse("reviews:review_detail", args=[need_or_review.review_id])
            + f"#need-{need_or_review.pk}"
        )
    return reverse("reviews:review_detail", args=[need_or_review.pk])


def _need(request, pk: int) -> Need:
    return get_object_or_404(need_list(request.user).select_related("review__state"), pk=pk)


@allowed_by(can_manage_needs)
@require_http_methods(["GET", "POST"])
def need_create_view(request, review_pk: int):
    review = visible_or_404(Review.objects.select_related("state"), request.user, pk=review_pk)
    form = NeedForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        fields = form.need_fields()
        try:
            need = need_create(review=review, user=request.user, **fields)
        except ValidationError as error:
            apply_service_errors(form, error, form.service_error_fields)
        else:
            messages.success(request, gettext("Need %(ref)s added.") % {"ref": need.ref})
            if "add_another" in request.POST:
                return redirect("needs:need_create", review_pk=review.pk)
            return redirect(_review_page(need))
    return render(
        request,
        "needs/need_form.html",
        {"form": form, "review": review, "need": None},
        status=400 if form.errors else 200,
    )


@allowed_by(can_manage_needs)
@require_http_methods(["GET", "POST"])
def need_edit_view(request, pk: int):
    need = _need(request, pk)

    def show(form, status=200, **extra):
        context = {"review": need.review, "need": need, "form": form, **extra}
        return render(request, "needs/need_form.html", context, status=status)

    def gone():
        messages.error(request, gettext("Someone deleted this need while you were editing it."))
        return redirect(_review_page(need.review))

    def done(saved):
        messages.success(request, gettext("Need %(ref)s saved.") % {"ref": saved.ref})
        return redirect(_review_page(saved))

    return edit_page(
        request,
        Need,
        form=lambda data: NeedForm(data, review=need.review, need=need),
        save=lambda form: need_update(
            need=need,
            user=request.user,
            seen_version=form.cleaned_data["version"],
            **form.need_fields(),
        ),
        show=show,
        done=done,
        gone=gone,
        aliases=NeedForm.service_error_fields,
    )


@allowed_by(can_manage_needs)
@require_http_methods(["GET", "POST"])
def need_delete_view(request, pk: int):
    need = _need(request, pk)
    if request.method == "POST":
        review = need.review
        need_delete(need=need, user=request.user)
        messages.success(
            request,
            gettext("Need %(ref)s deleted. Staff can restore it from the list of deleted needs.")
            % {"ref": need.ref},
        )
        return redirect(_review_page(review))
    return render(request, "needs/need_confirm_delete.html", {"need": need})


# --- History and restoration --------------------------------------------------------------
@allowed_by(can_manage_needs)
@require_GET
def need_history(request, pk: int):
    entries, latest, need = history_or_404(
        Need, pk, "review__state", missing="This need has no history."
    )
    return render(
        request,
        "needs/need_history.html",
        {"need": need, "latest": latest, "entries": entries},
    )


def _deleted_needs():
    """The last deletion of each need that is still deleted."""
    last_deletion = (
        Need.history.filter(id=OuterRef("id"), history_type="-")
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        Need.history.filter(history_type="-", history_id=Subquery(last_deletion))
        .exclude(id__in=Need.objects.values("id"))
        .select_related("history_user", "review__state", "chapter", "article", "category")
        .order_by("-history_date", "-history_id")
    )


@allowed_by(can_manage_needs)
@require_GET
def deleted_needs(request):
    page = Paginator(_deleted_needs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/deleted_needs.html", {"page": page})


@allowed_by(can_manage_needs)
@require_POST
def need_restore_view(request, history_id: int):
    try:
        need = need_restore(history_id=history_id, user=request.user)
    except ValidationError as error:
        page = Paginator(_deleted_needs(), PAGE_SIZE).get_page(1)
        return render(
            request,
            "needs/deleted_needs.html",
            {"page": page, "restore_error": " ".join(error.messages)},
            status=409,
        )
    messages.success(request, gettext("Need %(ref)s restored.") % {"ref": need.ref})
    return redirect(_review_page(need))
