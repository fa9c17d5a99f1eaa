"""`{% save_search_form view query %}`: the "Save this search" form of the needs list and the
catalogue (pages of the apps below, which name it here instead of importing it)."""

from urllib.parse import quote

from django import template
from django.urls import reverse

from alerts.forms import SaveSearchForm
from alerts.rules import can_save_search
from core.access import signed_in

register = template.Library()


@register.inclusion_tag("alerts/_save_search.html", takes_context=True)
def save_search_form(context, view: str, query: str):
    """The form for those who may save `view`; a sign-in hint for visitors."""
    request = context["request"]
    return {
        "can_save": can_save_search(request.user, view),
        "signed_in": signed_in(request.user),
        "form": SaveSearchForm(initial={"view": view, "query": query}),
        "csrf_token": context.get("csrf_token"),
        "login_url": f"{reverse('login')}?next={quote(request.get_full_path())}",
    }
