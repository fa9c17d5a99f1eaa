"""Follow-up actions on a need: add, change and delete (the State's focal point and staff),
and their export. The need's page (the catalogue's) and the country page list them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from core.access import signed_in
from core.pages import (
    allowed_by,
    apply_service_errors,
    confirm_delete,
    edit_page,
    visible_or_404,
)

from .action_exports import FORMATS, action_export_response
from .action_forms import NeedActionForm
from .filters import NeedActionFilterSet
from .models import Need, NeedAction
from .rules import can_record_need_actions
from .selectors import need_actions
from .services import need_action_create, need_action_delete, need_action_update


def _need_to_act_on(request, ref: str) -> Need:
    """The need if the user may see it (404 otherwise) and record its actions (403)."""
    need = visible_or_404(Need.objects.select_related("review__state"), request.user, ref=ref)
    if not can_record_need_actions(request.user, need):
        raise PermissionDenied(
            gettext("Only the State's focal point and staff record actions on its needs.")
        )
    return need


def _action(request, need: Need, action_id: int) -> NeedAction:
    return get_object_or_404(NeedAction.objects.filter(need=need), pk=action_id)


def _back(request, need: Need) -> str:
    """Where the person came from (`next`, on this site), or the need's page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("assistance:catalogue_need", args=[need.ref]) + "#actions"


def _render_form(request, need, form, *, action=None, status=200, **extra):
    context = {"need": need, "form": form, "action": action, "back": _back(request, need)}
    return render(request, "needs/action_form.html", {**context, **extra}, status=status)


@allowed_by(signed_in)
@require_http_methods(["GET", "POST"])
def need_action_create_view(request, ref: str):
    need = _need_to_act_on(request, ref)
    if request.method == "GET":
        return _render_form(request, need, NeedActionForm())
    form = NeedActionForm(request.POST)
    if form.is_valid():
        try:
            need_action_create(need=need, user=request.user, **form.action_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, gettext("Action on need %(ref)s recorded.") % {"ref": need.ref}
            )
            return redirect(_back(request, need))
    return _render_form(request, need, form, status=400)


@allowed_by(signed_in)
@require_http_methods(["GET", "POST"])
def need_action_edit_view(request, ref: str, action_id: int):
    need = _need_to_act_on(request, ref)
    action = _action(request, need, action_id)

    def gone():
        messages.error(request, gettext("Someone deleted this action while you were editing it."))
        return redirect(_back(request, need))

    def done(saved):
        messages.success(request, gettext("Action on need %(ref)s saved.") % {"ref": need.ref})
        return redirect(_back(request, need))

    return edit_page(
        request,
        NeedAction,
        form=lambda data: NeedActionForm(data, action=action),
        save=lambda form: need_action_update(
            action=action,
            user=request.user,
            seen_version=form.cleaned_data["version"],
            **form.action_fields(),
        ),
        show=lambda form, status=200, **extra: _render_form(
            request, need, form, action=action, status=status, **extra
        ),
        done=done,
        gone=gone,
    )


@allowed_by(signed_in)
@require_http_methods(["GET", "POST"])
def need_action_delete_view(request, ref: str, action_id: int):
    need = _need_to_act_on(request, ref)
    action = _action(request, need, action_id)
    back = _back(request, need)
    return confirm_delete(
        request,
        "needs/action_confirm_delete.html",
        {"need": need, "action": action, "back": back},
        delete=lambda: need_action_delete(action=action, user=request.user),
        done=gettext("Action on need %(ref)s deleted.") % {"ref": need.ref},
        then=back,
    )


@require_GET
def need_action_export(request, fmt: str):
    """Any list of actions the person may see (filtered like the country page), as CSV or
    XLSX in the import format."""
    if fmt not in FORMATS:
        raise Http404("Exports are .csv or .xlsx.")
    filterset = NeedActionFilterSet(request.GET, queryset=need_actions(request.user))
    if not filterset.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
        )
        return render(request, "needs/export_error.html", {"problems": problems}, status=400)
    return action_export_response(filterset.qs, fmt)
