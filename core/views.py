from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .health import broker_status, database_status, worker_status
from .lockouts import active_lockouts, lockout_lift
from .permissions import can_lift_lockouts


@require_GET
def home(request):
    user = request.user
    if getattr(user, "is_focal_point", False) and request.GET.get("stay") is None:
        state_page = _state_page_url(user.state.iso3)
        if state_page:
            return redirect(state_page)
    return render(request, "core/home.html")


def _state_page_url(iso3: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("reviews:state_detail", args=[iso3])
    except NoReverseMatch:
        return None


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
def lockout_list(request):
    """Staff see who is locked out of signing in and can lift a lockout."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_lift_lockouts(request.user):
        raise PermissionDenied("Only Secretariat staff can lift sign-in lockouts.")
    lockouts = active_lockouts()
    if request.method == "POST":
        attempt = lockouts.filter(pk=_positive_int(request.POST.get("attempt"))).first()
        if attempt is None:
            messages.error(request, "That lockout has already ended or been lifted.")
        else:
            lockout_lift(attempt=attempt, lifted_by=request.user)
            messages.success(
                request,
                f"{attempt.username} can sign in again from {attempt.ip_address}.",
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
