"""Pages: a person's saved searches (list, save, rename or change the alert, delete) and the
unsubscribe link of the alert e-mails, which works without signing in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import can_save_searches
from core.pages import allowed_by, apply_service_errors, confirm_delete, visible_or_404

from . import services
from .forms import SavedSearchForm, SaveSearchForm
from .models import VIEW_URLS, AlertFrequency, SavedSearch
from .selectors import describe_query, saved_searches_of
from .sending import search_for_unsubscribe


def _list_page(request, *args, **kwargs) -> str:
    return reverse("alerts:saved_search_list")


@allowed_by(can_save_searches)
@require_GET
def saved_search_list(request):
    searches = [
        {"search": search, "filters": describe_query(search.query)}
        for search in saved_searches_of(request.user)
    ]
    return render(request, "alerts/saved_search_list.html", {"searches": searches})


@require_POST
@allowed_by(can_save_searches, after_sign_in=_list_page)
def saved_search_create(request):
    """The target of "Save this search" on the needs list and the catalogue."""
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            search = services.saved_search_create(
                owner=request.user,
                name=data["name"],
                view=data["view"],
                query=QueryDict(data["query"]),
                alert=data["alert"],
            )
        except ValidationError as error:
            apply_service_errors(form, error, {"query": None, "view": None})
        else:
            messages.success(
                request,
                _("Search saved as “%(name)s”. Find it under Saved searches.")
                % {"name": search.name},
            )
            return redirect(search.get_absolute_url())
    view = form.data.get("view")
    back = None
    if view in VIEW_URLS:
        back = f"{reverse(VIEW_URLS[view][0])}?{form.data.get('query', '')}"
    return render(
        request, "alerts/saved_search_create.html", {"form": form, "back": back}, status=400
    )


def _own(request, pk: int) -> SavedSearch:
    return visible_or_404(SavedSearch.objects, request.user, pk=pk)


@allowed_by(can_save_searches)
@require_http_methods(["GET", "POST"])
def saved_search_edit(request, pk: int):
    search = _own(request, pk)
    form = SavedSearchForm(
        request.POST if request.method == "POST" else None,
        initial={"name": search.name, "alert": search.alert},
    )
    if request.method == "POST" and form.is_valid():
        try:
            search = services.saved_search_update(
                saved_search=search,
                name=form.cleaned_data["name"],
                alert=form.cleaned_data["alert"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved search “%(name)s” saved.") % {"name": search.name})
            return redirect("alerts:saved_search_list")
    return render(
        request,
        "alerts/saved_search_edit.html",
        {"form": form, "search": search, "filters": describe_query(search.query)},
        status=400 if form.errors else 200,
    )


@allowed_by(can_save_searches)
@require_http_methods(["GET", "POST"])
def saved_search_delete(request, pk: int):
    search = _own(request, pk)
    return confirm_delete(
        request,
        "alerts/saved_search_confirm_delete.html",
        {"search": search},
        delete=lambda: services.saved_search_delete(saved_search=search),
        done=_("Saved search “%(name)s” deleted.") % {"name": search.name},
        then="alerts:saved_search_list",
    )


# The link's signed token is what authorises the change, not a session: mail programs post
# to it for one-click unsubscribing (List-Unsubscribe-Post, RFC 8058) without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (link checkers and previews open links), POST turns the alert off."""
    search = search_for_unsubscribe(token)
    if search is None:
        raise Http404("No saved search has this unsubscribe link.")
    if request.method == "POST":
        services.alert_unsubscribe(saved_search=search)
        search.alert = AlertFrequency.NONE
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "search": search,
            "done": request.method == "POST",
            "alert_on": search.alert != AlertFrequency.NONE,
        },
    )
