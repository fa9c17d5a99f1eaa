from django.contrib.auth.models import AnonymousUser

from .permissions import (
    can_lift_lockouts,
    can_manage_assistance,
    can_manage_needs,
    can_manage_reviews,
    role_label,
)


def navigation(request):
    # Error pages can be drawn for a request the authentication middleware never saw: a
    # bad Host header is refused by an earlier middleware (400), and the test server's
    # static file handler answers a missing file (404) without any middleware.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "role_label": role_label(user),
        "nav_can_manage_reviews": can_manage_reviews(user),
        "nav_can_manage_needs": can_manage_needs(user),
        "nav_can_manage_assistance": can_manage_assistance(user),
        "nav_focal_point_state": user.state if getattr(user, "is_focal_point", False) else None,
        "nav_is_donor": getattr(user, "is_donor", False),
        "nav_can_lift_lockouts": can_lift_lockouts(user),
    }
