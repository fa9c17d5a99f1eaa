from .imports.registry import may_import_any
from .permissions import (
    can_lift_lockouts,
    can_manage_assistance,
    can_manage_needs,
    can_manage_reviews,
    role_label,
)


def navigation(request):
    user = request.user
    return {
        "role_label": role_label(user),
        "nav_can_manage_reviews": can_manage_reviews(user),
        "nav_can_manage_needs": can_manage_needs(user),
        "nav_can_manage_assistance": can_manage_assistance(user),
        "nav_can_import": may_import_any(user),
        "nav_focal_point_state": user.state if getattr(user, "is_focal_point", False) else None,
        "nav_is_donor": getattr(user, "is_donor", False),
        "nav_can_lift_lockouts": can_lift_lockouts(user),
    }
