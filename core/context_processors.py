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


def can(request):
    """What the navigation and the home page offer this person, as `can.*` answers (templates
    never test roles), their role's name, and a focal point's own State."""
    user = request.user
    return {
        "role_label": role_label(user),
        "can": {
            "manage_reviews": can_manage_reviews(user),
            "manage_needs": can_manage_needs(user),
            "manage_assistance": can_manage_assistance(user),
            "lift_lockouts": can_lift_lockouts(user),
            "manage_api_tokens": can_manage_api_tokens(user),
            "use_back_office": can_use_back_office(user),
            "save_searches": can_save_searches(user),
        },
        "own_state": user.state if focal_point_state_id(user) is not None else None,
    }
