import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import can_see_donor_interest, can_see_personal_data, can_take_snapshots
from core.pages import confirm_delete, public_page_path, render_public_page, with_csrf_token
from core.tabular import csv_response

from . import selectors, services
from .figures import dashboard_figures, snapshot_document, snapshot_rows
from .forms import DashboardFilterForm, SnapshotForm
from .models import ALL_REGIONS, Snapshot, SnapshotFigureSet

OVER_TIME = "needs-by-chapter-over-time"


def _view_of(form: DashboardFilterForm) -> tuple[int, str]:
    region = form.cleaned_data["region"]
    return form.cleaned_data["cycle"], region.code if region else ALL_REGIONS


# The public's dashboard is the same page for everyone but the CSRF token of its language
# switcher: built once per content and language, it is served from the cache with each
# visitor's own token put in. For DASHBOARD_PAGE_RECHECK_SECONDS after a worker process has
# checked that its copy is current it serves the copy without asking the database again: a
# busy public page then costs no query, and shows new figures that much later at most
# (they are recomputed seconds after a change anyway).
PAGE_CACHE_SECONDS = 24 * 60 * 60
CACHED_QUERY_PARAMETERS = {"cycle", "region"}


@require_GET
def index(request):
    """The published analyses, live: every figure of one cycle and region, chart and table."""
    public_path = public_page_path(request, CACHED_QUERY_PARAMETERS)
    if public_path is not None and (page := _recently_checked_page(public_path)) is not None:
        return with_csrf_token(request, page)
    form = DashboardFilterForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/index.html", {"form": form}, status=400)
    cycle, scope = _view_of(form)
    with_donor_interest = can_see_donor_interest(request.user)
    stored = selectors.figure_set(cycle=cycle, scope=scope)
    history = selectors.chapter_history(cycle=cycle, scope=scope) if stored else []
    content_key = _content_key(stored, history, with_donor_interest)
    page_key = public_path and f"dashboard-page:{content_key}:{public_path}"
    if page_key and (page := cache.get(page_key)) is not None:
        _remember_checked(public_path, page_key)
        return with_csrf_token(request, page)
    context = {
        "form": form,
        "cycle": cycle,
        "region": form.cleaned_data["region"],
        "stored": stored,
        "can_take_snapshots": can_take_snapshots(request.user),
    }
    if stored is not None:
        context["figures"] = dashboard_figures(
            stored.figures,
            history=history,
            computed_at=stored.computed_at,
            with_donor_interest=with_donor_interest,
        )
        context["figures_cache_key"] = content_key
    if not page_key:
        return render(request, "dashboard/index.html", context)
    page = render_public_page(request, "dashboard/index.html", context)
    cache.set(page_key, page, PAGE_CACHE_SECONDS)
    _remember_checked(public_path, page_key)
    return with_csrf_token(request, page)


def _recently_checked_page(public_path: str) -> str | None:
    if not settings.DASHBOARD_PAGE_RECHECK_SECONDS:
        return None
    page_key = cache.get(f"dashboard-checked:{public_path}")
    return cache.get(page_key) if page_key else None


def _remember_checked(public_path: str, page_key: str) -> None:
    if settings.DASHBOARD_PAGE_RECHECK_SECONDS:
        cache.set(
            f"dashboard-checked:{public_path}", page_key, settings.DASHBOARD_PAGE_RECHECK_SECONDS
        )


def _content_key(stored, history: list[dict], with_donor_interest: bool) -> str:
    """What the figures shown depend on, hashed. A figure set is identified by its row and
    the time it was computed (every recomputation rewrites both figures and time); the
    snapshots by what the over-time figure takes from them; the notice that figures are
    being recomputed by the source version."""
    content = json.dumps(
        [
            stored and [stored.pk, stored.computed_at, stored.source_version],
            stored and stored.is_stale,
            history,
            with_donor_interest,
        ],
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(content.encode()).hexdigest()


@require_GET
def figure_csv(request, slug: str):
    """One figure's table as CSV, for the cycle and region of the query string."""
    form = DashboardFilterForm.from_query(request.GET)
    if not form.is_valid():
        problems = "; ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
    cycle, scope = _view_of(form)
    stored = selectors.figure_set(cycle=cycle, scope=scope)
    if stored is None:
        raise Http404(_("The dashboard figures have not been computed yet."))
    history = selectors.chapter_history(cycle=cycle, scope=scope) if slug == OVER_TIME else []
    figure = next(
        (
            figure
            for figure in dashboard_figures(
                stored.figures,
                history=history,
                computed_at=stored.computed_at,
                with_donor_interest=True,
            )
            if figure.slug == slug
        ),
        None,
    )
    if figure is None:
        raise Http404(_("There is no such figure."))
    if figure.signed_in_only and not can_see_donor_interest(request.user):
        return redirect_to_login(request.get_full_path())
    filename = f"dashboard-cycle{cycle}-{scope}-{slug}-{stored.computed_at:%Y%m%dT%H%M}.csv"
    return csv_response(filename, figure.headers, figure.table)


@require_http_methods(["GET", "POST"])
def snapshot_list(request):
    """The snapshots taken so far, with downloads; staff freeze the current figures here."""
    may_take = can_take_snapshots(request.user)
    form = SnapshotForm()
    status = 200
    if request.method == "POST":
        if not may_take:
            raise PermissionDenied("Only Secretariat staff take snapshots.")
        form = SnapshotForm(request.POST)
        if form.is_valid():
            try:
                snapshot = services.snapshot_create(
                    label=form.cleaned_data["label"],
                    taken_on=form.cleaned_data["taken_on"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Snapshot %(label)s taken.") % {"label": snapshot.label}
                )
                return redirect("dashboard:snapshots")
        status = 400
    snapshots = Snapshot.objects.select_related("created_by").order_by("-taken_on", "label")
    return render(
        request,
        "dashboard/snapshots.html",
        {
            "snapshots": snapshots,
            "form": form,
            "can_take_snapshots": may_take,
            "can_see_personal_data": can_see_personal_data(request.user),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def snapshot_delete(request, pk: int):
    if not can_take_snapshots(request.user):
        raise PermissionDenied("Only Secretariat staff delete snapshots.")
    snapshot = get_object_or_404(Snapshot, pk=pk)
    return confirm_delete(
        request,
        "dashboard/snapshot_confirm_delete.html",
        {"snapshot": snapshot},
        delete=lambda: services.snapshot_delete(snapshot=snapshot),
        done=_("Snapshot %(label)s deleted.") % {"label": snapshot.label},
        then="dashboard:snapshots",
    )


@require_GET
def snapshot_download(request, pk: int, file_format: str):
    """A snapshot's figures, every cycle and view, as JSON or as one long CSV table."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    figure_sets = list(
        SnapshotFigureSet.objects.filter(snapshot=snapshot).order_by("cycle", "scope")
    )
    with_donor_interest = can_see_donor_interest(request.user)
    filename = f"snapshot-{slugify(snapshot.label)}"
    if file_format == "json":
        response = JsonResponse(
            snapshot_document(snapshot, figure_sets, with_donor_interest=with_donor_interest),
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    headers, rows = snapshot_rows(figure_sets, with_donor_interest=with_donor_interest)
    return csv_response(f"{filename}.csv", headers, rows)
