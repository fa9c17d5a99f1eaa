"""`{% need_assistance need %}`: the assistance and donor interest of one need, for any page
that shows a need (two queries, permissions applied to the signed-in user)."""

from django import template

from assistance.selectors import active_interests_for, need_links_for
from core.access import can_see_donor_interest

register = template.Library()


@register.inclusion_tag("assistance/_need_assistance.html", takes_context=True)
def need_assistance(context, need):
    user = context["request"].user
    return {
        "need": need,
        "links": list(need_links_for(user, need)),
        "interests": list(active_interests_for(user, need)),
        "can_see_donor_interest": can_see_donor_interest(user),
    }
