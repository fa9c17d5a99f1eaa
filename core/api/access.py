"""DRF's side of `core.access`: each API view names, per action, the rule that allows it.

No rule is written here: reads are limited by `visible_to`, which `ApiViewSet` applies to the
view's queryset, and each write action maps to a `can_*` predicate (`core.access`, or the
app's `rules.py`).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.access import signed_in


def anonymous_may_call(view, method: str) -> bool:
    return method in SAFE_METHODS and not getattr(view, "sign_in_to_read", False)


class RoleRules(BasePermission):
    """Reads for everyone (or only the signed-in, `sign_in_to_read`); writes by `write_rules`.

    `write_rules` maps an action to `rule(user)`, checked before anything is read;
    `object_rules` maps an action to `rule(user, obj)`, checked on the record itself (a
    record the user may not see is a 404 before that). Unauthenticated callers get 401,
    authenticated ones without the right 403.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return anonymous_may_call(view, request.method) or signed_in(request.user)
        rule = getattr(view, "write_rules", {}).get(view.action)
        return rule is not None and signed_in(request.user) and bool(rule(request.user))

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        rule = getattr(view, "object_rules", {}).get(view.action)
        return rule is None or bool(rule(request.user, obj))
