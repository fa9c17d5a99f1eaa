from django.contrib.auth.models import AnonymousUser

from .access import (
    can_lift_lockouts,
    can_manage_api_tokens,
    can_manage_assistance,
    can_manage_needs,
    can_manage_reviews,
    can_save_searches,
    can_use_back_office,
    focal_point_state_id,
    role_label,
)
from .imports.registry import may_import_any


def can(request):
    """What the navigation and the home page offer this person, as `can.*` answers (templates
    never test roles), their role's name, and a focal point's own State."""
    # Error pages can be drawn for a request the authentication middleware never saw: a
    # bad Host header is refused by an earlier middleware (400), and the test server's
    # static file handler answers a missing file (404) without any middleware.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "role_label": role_label(user),
        "can": {
            "manage_reviews": can_manage_reviews(user),
            "manage_needs": can_manage_needs(user),
            "manage_assistance": can_manage_assistance(user),
            "lift_lockouts": can_lift_lockouts(user),
            "manage_api_tokens": can_manage_api_tokens(user),
            "use_back_office": can_use_back_office(user),
            "import_files": may_import_any(user),
            "save_searches": can_save_searches(user),
        },
        "own_state": user.state if focal_point_state_id(user) is not None else None,
    }
