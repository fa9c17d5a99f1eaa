from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views import i18n as i18n_views
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from .access import can_lift_lockouts, can_save_searches, focal_point_state_id
from .health import broker_status, database_status, worker_status
from .languages import preferred_language_remember
from .lockouts import active_lockouts, lockout_lift
from .pages import allowed_by


@require_GET
def home(request):
    user = request.user
    if focal_point_state_id(user) is not None and request.GET.get("stay") is None:
        # The country pages are an app above core: named by their URL, not imported.
        return redirect("countries:state_detail", iso3=user.state.iso3)
    # The saved searches are an app above core: reached through the reverse relation.
    saved_searches = user.saved_searches.all() if can_save_searches(user) else None
    return render(request, "core/home.html", {"saved_searches": saved_searches})


@require_safe
@cache_control(max_age=24 * 60 * 60)
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, the API's
    documentation and answers); a 404 there is an error in their console."""
    return redirect(static("favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    database = database_status()
    broker = broker_status()
    healthy = database["ok"] and broker["ok"]
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": database,
        "broker": broker,
        "worker": worker_status() if database["ok"] else {"last_seen": None},
    }
    return JsonResponse(body, status=200 if healthy else 503)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
@allowed_by(can_lift_lockouts)
def lockout_list(request):
    """Staff see who is locked out of signing in and can lift a lockout."""
    lockouts = active_lockouts()
    if request.method == "POST":
        attempt = lockouts.filter(pk=_positive_int(request.POST.get("attempt"))).first()
        if attempt is None:
            messages.error(request, _("That lockout has already ended or been lifted."))
        else:
            lockout_lift(attempt=attempt, lifted_by=request.user)
            messages.success(
                request,
                _("%(username)s can sign in again from %(address)s.")
                % {"username": attempt.username, "address": attempt.ip_address},
            )
        return redirect("lockout_list")
    context = {
        "lockouts": lockouts,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "core/lockouts.html", context)


def _positive_int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def set_language(request):
    """Django's `set_language` (the switcher posts here; the choice goes in the language
    cookie), which also keeps a signed-in person's choice on their account, for what the
    tracker sends them outside a request (the daily digest)."""
    response = i18n_views.set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None:
        preferred_language_remember(user=request.user, code=chosen.value)
    return response


# Error pages in the reader's language (Django's own fallbacks are English only). They say
# what happened in general terms: the exception's text is for the logs, not for the page.
def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name="core/400.html")


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="core/403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="core/404.html")


def server_error(request):
    return defaults.server_error(request, template_name="core/500.html")
