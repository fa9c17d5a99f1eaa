"""What the pages of every app share: letting a person in, reading one record they may see,
paging lists, showing a service's refusal on a form, and caching a page the public shares."""

import hashlib
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.contrib.messages import success as message_success
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .access import signed_in
from .exceptions import ConcurrentEditError
from .history import describe_changes

PAGE_SIZE = 50
STAFF_ONLY = _("This page is for secretariat staff.")


def allowed_by(check, refusal=STAFF_ONLY, *, after_sign_in=None):
    """Let through users for whom `check(user)` is true. Anonymous users are sent to sign in
    first (and then back to the page, or to `after_sign_in(request, **kwargs)` for a form's
    target that cannot be opened on its own); others are refused with a 403 saying
    `refusal`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not signed_in(request.user):
                back = after_sign_in(request, *args, **kwargs) if after_sign_in else None
                return redirect_to_login(back or request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(str(refusal))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def visible_or_404(queryset, user, **lookup):
    """The one record of `queryset` matching `lookup` that `user` may see; 404 otherwise, so
    that a record one may not see is indistinguishable from one that does not exist."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def query_without_page(request) -> str:
    """The list's query string without its page, for the links to the other pages."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def tidy_filter_form(form: forms.Form) -> forms.Form:
    """Lists offer "Any" first and multiple choices show a few lines, so that an unfiltered
    page does not look filtered."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("size", 4)
        elif isinstance(field, forms.ChoiceField) and all(
            value != "" for value, _label in field.choices
        ):
            field.choices = [("", _("Any")), *field.choices]
    return form


def apply_service_errors(form: forms.Form, error: ValidationError, aliases=None) -> None:
    """Show a service's ValidationError next to the fields it names (`aliases` maps a
    service's field name to the form field that carries it); the rest above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


# A page that is the same for every visitor who is not signed in but for the CSRF token of its
# language switcher is built once, with this in the token's place, and served from the cache
# with each visitor's own token put in.
CSRF_TOKEN_SLOT = "csrf-token-slot-7f3a"


def public_page_path(request, parameters=frozenset()) -> str | None:
    """What such a page depends on besides its data (language and address), for a visitor
    who is not signed in, has no message waiting and asks with `parameters` only; None for
    everyone else, whose page is built for them."""
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    if not set(request.GET) <= set(parameters):
        return None
    return hashlib.sha256(f"{get_language()}|{request.get_full_path()}".encode()).hexdigest()


def render_public_page(request, template: str, context: dict) -> str:
    """The page as cached: the CSRF token left as a slot for `with_csrf_token`."""
    return render_to_string(template, {**context, "csrf_token": CSRF_TOKEN_SLOT}, request)


def filled_csrf_token(request, html: str) -> SafeString:
    """HTML rendered by `render_public_page` (escaped there), with the person's own CSRF
    token in its slot."""
    return mark_safe(html.replace(CSRF_TOKEN_SLOT, get_token(request)))


def with_csrf_token(request, page: str) -> HttpResponse:
    return HttpResponse(filled_csrf_token(request, page))


def confirm_delete(request, template: str, context: dict, *, delete, done: str, then: str):
    """A delete page: GET shows the confirmation (template), POST calls delete(), says
    done and goes to then (a URL or a URL name). The caller checks the permission first."""
    if request.method == "POST":
        delete()
        message_success(request, done)
        return redirect(then)
    return render(request, template, context)


def resubmitted(request, conflict: ConcurrentEditError):
    """The input of an edit refused because the record was saved meanwhile, now carrying the
    current version: saving it again, after reading what changed, is a deliberate overwrite."""
    data = request.POST.copy()
    data["version"] = conflict.current.version
    return data


def conflict_context(model, conflict: ConcurrentEditError) -> dict:
    """What an edit page shows of a refused save: the conflict and its changes in words."""
    return {"conflict": conflict, "conflict_changes": describe_changes(model, conflict.changes)}


def edit_page(request, model, *, form, save, show, done, gone=None, aliases=None):
    """An edit page, the same for every record. GET shows `form(None)`; POST validates
    `form(request.POST)` and calls `save(form)`, which returns the saved record:
    - saved meanwhile by someone else (ConcurrentEditError): 409, the form again with what
      was typed, now carrying today's version, and what changed in words, so that saving
      again is a decision taken knowing both;
    - deleted meanwhile: `gone()` (a redirect with its message), or 404;
    - refused by the service (ValidationError): 400, its messages next to the fields
      (`aliases`: a service's field -> the form field that carries it);
    - saved: `done(record)` (a redirect with its message).
    `show(form, status=200, **extra)` renders the page. The caller checks the permission."""
    if request.method == "GET":
        return show(form(None))
    bound = form(request.POST)
    if bound.is_valid():
        try:
            record = save(bound)
        except ConcurrentEditError as conflict:
            return show(
                form(resubmitted(request, conflict)),
                status=409,
                **conflict_context(model, conflict),
            )
        except ObjectDoesNotExist:
            if gone is None:
                raise Http404 from None
            return gone()
        except ValidationError as error:
            apply_service_errors(bound, error, aliases)
        else:
            return done(record)
    return show(bound, status=400)
