"""The administrators' page for API tokens: who has one, issue, replace, revoke."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .access import can_manage_api_tokens
from .api.tokens import token_issue, token_revoke
from .pages import allowed_by


@require_http_methods(["GET", "POST"])
@allowed_by(can_manage_api_tokens, gettext_lazy("Only administrators issue API tokens."))
def api_tokens(request):
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .select_related("auth_token", "state", "donor")
        .order_by("username")
    )
    new_key = None
    if request.method == "POST":
        person = get_object_or_404(users, pk=_positive_int(request.POST.get("user")))
        action = request.POST.get("action")
        if action == "revoke":
            token_revoke(user=person)
            messages.success(
                request,
                _("The API token of %(username)s is revoked.") % {"username": person.username},
            )
            return redirect("api_tokens")
        if action not in ("issue", "rotate"):
            messages.error(request, _("Choose to issue, replace or revoke a token."))
            return redirect("api_tokens")
        try:
            token, _created = token_issue(user=person, rotate=action == "rotate")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("api_tokens")
        # Shown once, on this answer only: never stored in a message or a log.
        new_key = {"username": person.username, "key": token.key}
    return render(request, "core/api_tokens.html", {"people": users, "new_key": new_key})


def _positive_int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
