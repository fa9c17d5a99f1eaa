"""Staff pages for needs: the list with export, add/edit/delete from the review page,
history, deleted needs and their restoration, and the spreadsheet import."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import can_manage_needs, can_manage_reviews
from core.exceptions import ConcurrentEditError
from core.history import describe_changes, history_entries
from core.pages import (
    PAGE_SIZE,
    allowed_by,
    apply_service_errors,
    query_without_page,
    tidy_filter_form,
    visible_or_404,
)
from core.tabular import csv_response
from reviews.imports import REVIEW_COLUMNS
from reviews.models import Review

from .exports import FORMATS, export_response
from .filters import NeedFilterSet
from .forms import DATE_WIDGET, ImportUploadForm, NeedForm
from .import_jobs import (
    SHOWN_PROBLEMS,
    confirm_import_job,
    recheck_allowing_duplicates,
    start_import_job,
)
from .imports import NEED_COLUMNS
from .models import ImportJob, ImportKind, Need
from .selectors import need_list
from .services import need_create, need_delete, need_restore, need_update

RECENT_JOBS = 15


# --- List and export ----------------------------------------------------------------------
@allowed_by(can_manage_needs)
@require_GET
def need_list_view(request):
    filterset = NeedFilterSet(request.GET, queryset=need_list(request.user))
    # Before the form is validated: its bound fields copy the labels then.
    tidy_filter_form(filterset.form)
    for name in ("identified_after", "identified_before"):
        filterset.form.fields[name].widget = DATE_WIDGET
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
    return export_response(filterset.qs, fmt)


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
            apply_service_errors(form, error, {"chapter": "placement", "article": "placement"})
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
    context = {"review": need.review, "need": need}
    if request.method == "GET":
        form = NeedForm(review=need.review, need=need)
        return render(request, "needs/need_form.html", {**context, "form": form})
    form = NeedForm(request.POST, review=need.review, need=need)
    if form.is_valid():
        fields = form.need_fields()
        try:
            need = need_update(
                need=need,
                user=request.user,
                seen_version=form.cleaned_data["version"],
                **fields,
            )
        except ConcurrentEditError as conflict:
            # Refused: show what changed since the form was opened; the form now carries
            # today's version, so saving again is a decision taken knowing both.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            return render(
                request,
                "needs/need_form.html",
                {
                    **context,
                    "form": NeedForm(data, review=need.review, need=need),
                    "conflict": conflict,
                    "conflict_changes": describe_changes(Need, conflict.changes),
                },
                status=409,
            )
        except ObjectDoesNotExist:
            messages.error(request, gettext("Someone deleted this need while you were editing it."))
            return redirect(_review_page(need.review))
        except ValidationError as error:
            apply_service_errors(form, error, {"chapter": "placement", "article": "placement"})
        else:
            messages.success(request, gettext("Need %(ref)s saved.") % {"ref": need.ref})
            return redirect(_review_page(need))
    return render(request, "needs/need_form.html", {**context, "form": form}, status=400)


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
    records = list(Need.history.filter(id=pk).select_related("history_user", "review__state"))
    if not records:
        raise Http404("This need has no history.")
    latest = max(records, key=lambda record: (record.history_date, record.history_id))
    need = Need.objects.filter(pk=pk).first()
    return render(
        request,
        "needs/need_history.html",
        {
            "need": need,
            "latest": latest,
            "entries": history_entries(Need, records),
        },
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


# --- Import -------------------------------------------------------------------------------
def _may_import(user, kind: str) -> bool:
    return can_manage_reviews(user) if kind == ImportKind.REVIEWS else can_manage_needs(user)


def _recent_jobs():
    return ImportJob.objects.defer("data").select_related("created_by")[:RECENT_JOBS]


@allowed_by(can_manage_needs)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if not _may_import(request.user, kind):
                raise PermissionDenied("You may not import this kind of file.")
            upload = form.cleaned_data["file"]
            job = start_import_job(
                kind=kind,
                filename=upload.name,
                data=upload.read(),
                user=request.user,
                allow_duplicates=form.cleaned_data["allow_duplicates"],
            )
            return redirect("needs:import_job", pk=job.pk)
        too_big = any(error.code == "too_big" for error in form.errors.as_data().get("file", []))
        status = 413 if too_big else 400
    return render(
        request,
        "needs/import_upload.html",
        {"form": form, "jobs": _recent_jobs()},
        status=status,
    )


@allowed_by(can_manage_needs)
@require_GET
def import_template(request, kind: str):
    columns = {ImportKind.REVIEWS: REVIEW_COLUMNS, ImportKind.NEEDS: NEED_COLUMNS}.get(kind)
    if columns is None:
        raise Http404("There are templates for reviews and needs.")
    return csv_response(f"{kind}-template.csv", list(columns), [])


def _job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.defer("data").select_related("created_by"), pk=pk)
    if not _may_import(request.user, job.kind):
        raise PermissionDenied("You may not see this import.")
    return job


def stage_label(job: ImportJob) -> str:
    """What a running step is doing, for a person: the page and its progress script show it."""
    if job.stage == "saving":
        return gettext("Saving")
    if job.stage == "checking":
        return gettext("Checking rows")
    if job.started_at:
        return gettext("Reading the file")
    return gettext("Waiting for the background worker")


def _status_payload(job: ImportJob) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "stage_label": stage_label(job),
        "processed_rows": job.processed_rows,
        "total_rows": job.total_rows,
        "percent": job.percent,
        "running": job.is_running,
    }


def _job_page(request, job: ImportJob, *, error: str = "", status: int = 200):
    return render(
        request,
        "needs/import_job.html",
        {
            "job": job,
            "stage_label": stage_label(job),
            "error": error,
            "shown_problems": job.problems[:SHOWN_PROBLEMS],
            "hidden_problems": max(len(job.problems) - SHOWN_PROBLEMS, 0),
            "only_duplicates": bool(job.duplicates)
            and len(job.problems) == len(job.duplicates)
            and not job.allow_duplicates,
            "is_uploader": job.created_by_id == request.user.pk,
        },
        status=status,
    )


@allowed_by(can_manage_needs)
@never_cache
@require_GET
def import_job(request, pk: int):
    return _job_page(request, _job(request, pk))


@allowed_by(can_manage_needs)
@never_cache
@require_GET
def import_job_status(request, pk: int):
    return JsonResponse(_status_payload(_job(request, pk)))


@allowed_by(can_manage_needs)
@require_GET
def import_job_problems(request, pk: int):
    job = _job(request, pk)
    return csv_response(
        f"import-{job.pk}-problems.csv",
        [gettext("problem")],
        ([problem] for problem in job.problems),
    )


@allowed_by(can_manage_needs)
@require_POST
def import_job_confirm(request, pk: int):
    job = _job(request, pk)
    try:
        confirm_import_job(job=job, user=request.user)
    except ValidationError as error:
        return _job_page(request, job, error=" ".join(error.messages), status=409)
    return redirect("needs:import_job", pk=job.pk)


@allowed_by(can_manage_needs)
@require_POST
def import_job_recheck(request, pk: int):
    job = _job(request, pk)
    try:
        recheck_allowing_duplicates(job=job, user=request.user)
    except ValidationError as error:
        return _job_page(request, job, error=" ".join(error.messages), status=409)
    return redirect("needs:import_job", pk=job.pk)
