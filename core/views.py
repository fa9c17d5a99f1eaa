from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status, worker_status


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
