"""Pages for assistance: activities (list, detail, create, edit, import, exports), their
funding and links to needs, providers and donors. Reading is public (assistance delivered is
public information, linked needs are filtered by who may see them); writing is for staff."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import can_manage_assistance
from core.pages import (
    PAGE_SIZE,
    allowed_by,
    apply_service_errors,
    edit_page,
    query_without_page,
    visible_or_404,
)
from core.tabular import csv_response, xlsx_response
from needs.models import Need

from . import services
from .filters import ActivityFilterSet, DonorFilterSet, ProviderFilterSet
from .forms import (
    ActivityForm,
    DonorForm,
    FundingForm,
    LinkNeedForm,
    ProviderForm,
)
from .iati import iati_document
from .imports import COLUMNS, activity_rows
from .models import Activity, Donor, FundingContribution, Provider
from .selectors import activity_detail, activity_export_rows, activity_iati_rows, activity_list

staff_only = allowed_by(
    can_manage_assistance, gettext_lazy("Only secretariat staff manage assistance records.")
)


def invalid_filter_response(filterset) -> HttpResponse:
    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
    return HttpResponse(
        _("Invalid filter: %(problems)s") % {"problems": problems},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _filtered_activities(request) -> ActivityFilterSet:
    return ActivityFilterSet(
        request.GET or None,
        queryset=activity_list(request.user).order_by("-start_date", "title", "pk"),
        request=request,
    )


# --- Activities ---------------------------------------------------------------------------
@require_GET
def activity_list_view(request):
    filterset = _filtered_activities(request)
    valid = filterset.is_bound is False or filterset.is_valid()
    activities = filterset.qs if valid else Activity.objects.none()
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/activity_list.html",
        {
            "filterset": filterset,
            "valid": valid,
            "page": page,
            "query": query_without_page(request),
            "can_manage": can_manage_assistance(request.user),
        },
        status=200 if valid else 400,
    )


@require_GET
def activity_export(request, fmt: str):
    """The filtered list in the import format (export then import is a round trip)."""
    filterset = _filtered_activities(request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filter_response(filterset)
    rows = activity_rows(activity_export_rows(request.user, filterset.qs))
    if fmt == "csv":
        return csv_response("activities.csv", list(COLUMNS), rows)
    return xlsx_response("activities.xlsx", list(COLUMNS), rows, sheet_title=_("Activities"))


@require_GET
def iati_export(request):
    """IATI activity standard 2.03 XML of the (filtered) activities."""
    filterset = _filtered_activities(request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filter_response(filterset)
    document = iati_document(activity_iati_rows(request.user, filterset.qs))
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="activities-iati.xml"'
    return response


def _activity_or_404(request, ref: str) -> Activity:
    return get_object_or_404(activity_detail(request.user), ref=ref)


def _activity_page(request, activity: Activity, *, link_form=None, funding_form=None):
    """The activity's page; with a refused form given back, status 400."""
    can_manage = can_manage_assistance(request.user)
    refused = link_form is not None or funding_form is not None
    if can_manage:
        link_form = link_form or LinkNeedForm(initial={"extent": "partial"})
        funding_form = funding_form or FundingForm()
    context = {"activity": activity, "can_manage": can_manage}
    context.update(link_form=link_form, funding_form=funding_form)
    return render(
        request, "assistance/activity_detail.html", context, status=400 if refused else 200
    )


@require_GET
def activity_detail_view(request, ref: str):
    return _activity_page(request, _activity_or_404(request, ref))


@staff_only
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(user=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Activity %(ref)s recorded.") % {"ref": activity.ref})
            return redirect("assistance:activity_detail", ref=activity.ref)
    status = 400 if request.method == "POST" else 200
    return render(request, "assistance/activity_form.html", {"form": form}, status=status)


@staff_only
@require_http_methods(["GET", "POST"])
def activity_edit(request, ref: str):
    activity = get_object_or_404(Activity, ref=ref)

    def done(saved):
        messages.success(request, _("Activity %(ref)s saved.") % {"ref": saved.ref})
        return redirect("assistance:activity_detail", ref=saved.ref)

    return edit_page(
        request,
        Activity,
        form=lambda data: ActivityForm(data, instance=activity),
        save=lambda form: services.activity_update(
            activity=activity,
            seen_version=form.cleaned_data.get("version"),
            user=request.user,
            **form.service_arguments(),
        ),
        show=lambda form, status=200, **extra: render(
            request,
            "assistance/activity_form.html",
            {"form": form, "activity": activity, **extra},
            status=status,
        ),
        done=done,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def activity_delete(request, ref: str):
    """GET asks for confirmation (what the deletion changes), POST deletes."""
    activity = get_object_or_404(activity_detail(request.user), ref=ref)
    if request.method == "GET":
        return render(request, "assistance/activity_confirm_delete.html", {"activity": activity})
    services.activity_delete(activity=activity, user=request.user)
    messages.success(
        request,
        _("Activity %(ref)s deleted; the coverage of its needs is updated.") % {"ref": ref},
    )
    return redirect("assistance:activity_list")


@staff_only
@require_POST
def activity_link_need(request, ref: str):
    activity = _activity_or_404(request, ref)
    form = LinkNeedForm(request.POST, needs=Need.objects.visible_to(request.user))
    if form.is_valid():
        need = form.cleaned_data["need"]
        try:
            services.link_need(
                activity=activity,
                need=need,
                extent=form.cleaned_data["extent"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Need %(need)s linked to %(activity)s.")
                % {"need": need.ref, "activity": activity.ref},
            )
            return redirect("assistance:activity_detail", ref=activity.ref)
    return _activity_page(request, activity, link_form=form)


@staff_only
@require_POST
def activity_unlink_need(request, ref: str, need_ref: str):
    activity = get_object_or_404(Activity, ref=ref)
    need = visible_or_404(Need.objects, request.user, ref=need_ref)
    try:
        services.unlink_need(activity=activity, need=need, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assistance:activity_detail", ref=activity.ref)
    messages.success(
        request,
        _("Need %(need)s unlinked from %(activity)s.")
        % {"need": need.ref, "activity": activity.ref},
    )
    return redirect("assistance:activity_detail", ref=activity.ref)


@staff_only
@require_POST
def funding_add(request, ref: str):
    activity = _activity_or_404(request, ref)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            services.funding_add(activity=activity, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Funding contribution recorded."))
            return redirect("assistance:activity_detail", ref=activity.ref)
    return _activity_page(request, activity, funding_form=form)


@staff_only
@require_POST
def funding_remove(request, ref: str, contribution_id: int):
    contribution = get_object_or_404(FundingContribution, pk=contribution_id, activity__ref=ref)
    services.funding_remove(contribution=contribution, user=request.user)
    messages.success(request, _("Funding contribution removed."))
    return redirect("assistance:activity_detail", ref=ref)


# --- Import -------------------------------------------------------------------------------
@staff_only
@require_GET
def activity_import(request):
    """The former address of the activity import: now the import page of every kind."""
    return redirect(reverse("imports:upload") + "?kind=activities")


# --- Providers and donors -----------------------------------------------------------------
def _organisation_list(request, filterset_class, queryset, template, count_field):
    filterset = filterset_class(request.GET or None, queryset=queryset)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs.annotate(activity_count=Count(count_field, distinct=True)) if valid else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if valid else None
    return render(
        request,
        template,
        {"filterset": filterset, "valid": valid, "page": page},
        status=200 if valid else 400,
    )


@staff_only
@require_GET
def provider_list(request):
    return _organisation_list(
        request,
        ProviderFilterSet,
        Provider.objects.order_by("name"),
        "assistance/provider_list.html",
        "activities",
    )


@staff_only
@require_GET
def donor_list(request):
    return _organisation_list(
        request,
        DonorFilterSet,
        Donor.objects.select_related("country").order_by("name"),
        "assistance/donor_list.html",
        "contributions__activity",
    )


@dataclass(frozen=True)
class _Organisations:
    """A kind of organisation the staff pages edit: its form, its services, its words
    ("new": heading of a new record; "edit" and "saved", each with %(name)s) and its list."""

    model: type
    form: type
    create: Callable
    update: Callable  # update(instance, user=..., **fields)
    texts: Callable[[], dict[str, str]]
    list_url: str


ORGANISATIONS = {
    "provider": _Organisations(
        Provider,
        ProviderForm,
        services.provider_create,
        lambda provider, **fields: services.provider_update(provider=provider, **fields),
        lambda: {
            "new": _("New provider"),
            "edit": _("Edit provider %(name)s"),
            "saved": _("Provider %(name)s saved."),
        },
        "assistance:provider_list",
    ),
    "donor": _Organisations(
        Donor,
        DonorForm,
        services.donor_create,
        lambda donor, **fields: services.donor_update(donor=donor, **fields),
        lambda: {
            "new": _("New donor"),
            "edit": _("Edit donor %(name)s"),
            "saved": _("Donor %(name)s saved."),
        },
        "assistance:donor_list",
    ),
}


@staff_only
@require_http_methods(["GET", "POST"])
def organisation_form(request, kind: str, pk: int | None = None):
    """Add (no `pk`) or edit a provider or donor (`kind`, given by the URL)."""
    spec = ORGANISATIONS[kind]
    instance = get_object_or_404(spec.model, pk=pk) if pk is not None else None
    texts = spec.texts()
    form = spec.form(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if instance is None:
                    saved = spec.create(user=request.user, **form.cleaned_data)
                else:
                    saved = spec.update(instance, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, texts["saved"] % {"name": saved})
                return redirect(spec.list_url)
    heading = texts["edit"] % {"name": instance} if instance else texts["new"]
    return render(
        request,
        "assistance/organisation_form.html",
        {
            "form": form,
            "heading": heading,
            "instance": instance,
            "list_url": reverse(spec.list_url),
        },
        status=status,
    )
