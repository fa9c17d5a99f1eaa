"""The import pages, one for every kind of file: the upload (with the kind chosen by
`?kind=`), the CSV template of each kind, and the job's page with its progress, problems,
confirmation and second check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.models import ImportJob
from core.pages import allowed_by
from core.tabular import csv_response

from . import registry
from .forms import ImportUploadForm
from .jobs import SHOWN_PROBLEMS, confirm_import_job, recheck_allowing_duplicates, start_import_job

RECENT_JOBS = 15


def _importer(request, kind: str | None) -> registry.Importer:
    """The importer of `kind` (by default the first the person may use), if they may use it."""
    allowed = registry.importers_for(request.user)
    if not kind:
        return allowed[0]
    for importer in allowed:
        if importer.kind == kind:
            return importer
    raise Http404("There is no such kind of file to import.")


def _recent_jobs(user):
    kinds = [importer.kind for importer in registry.importers_for(user)]
    return (
        ImportJob.objects.filter(kind__in=kinds)
        .defer("data")
        .select_related("created_by")[:RECENT_JOBS]
    )


@allowed_by(registry.may_import_any)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    importer = _importer(request, request.POST.get("kind") or request.GET.get("kind"))
    form = ImportUploadForm(request.POST or None, request.FILES or None, importer=importer)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = start_import_job(
                kind=importer.kind,
                filename=upload.name,
                data=upload.read(),
                user=request.user,
                allow_duplicates=form.cleaned_data.get("allow_duplicates", False),
            )
            return redirect("imports:job", pk=job.pk)
        too_big = any(error.code == "too_big" for error in form.errors.as_data().get("file", []))
        status = 413 if too_big else 400
    return render(
        request,
        "core/import_upload.html",
        {
            "form": form,
            "importer": importer,
            "importers": registry.importers_for(request.user),
            "jobs": _recent_jobs(request.user),
        },
        status=status,
    )


@allowed_by(registry.may_import_any)
@require_GET
def import_template(request, kind: str):
    importer = _importer(request, kind)
    return csv_response(f"{importer.kind}-template.csv", list(importer.column_names), [])


def _job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.defer("data").select_related("created_by"), pk=pk)
    importer = job.importer
    if importer is None or not importer.may_import(request.user):
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
        "core/import_job.html",
        {
            "job": job,
            "importer": job.importer,
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


@allowed_by(registry.may_import_any)
@never_cache
@require_GET
def import_job(request, pk: int):
    return _job_page(request, _job(request, pk))


@allowed_by(registry.may_import_any)
@never_cache
@require_GET
def import_job_status(request, pk: int):
    return JsonResponse(_status_payload(_job(request, pk)))


@allowed_by(registry.may_import_any)
@require_GET
def import_job_problems(request, pk: int):
    job = _job(request, pk)
    return csv_response(
        f"import-{job.pk}-problems.csv",
        [gettext("problem")],
        ([problem] for problem in job.problems),
    )


def _next_step(request, pk: int, service):
    """Ask `service` to start the job's next step; a refusal is shown on the job's page."""
    job = _job(request, pk)
    try:
        service(job=job, user=request.user)
    except ValidationError as error:
        return _job_page(request, job, error=" ".join(error.messages), status=409)
    return redirect("imports:job", pk=job.pk)


@allowed_by(registry.may_import_any)
@require_POST
def import_job_confirm(request, pk: int):
    return _next_step(request, pk, confirm_import_job)


@allowed_by(registry.may_import_any)
@require_POST
def import_job_recheck(request, pk: int):
    return _next_step(request, pk, recheck_allowing_duplicates)
