from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_current(context, url_name: str, *args) -> str:
    """` aria-current="page"` on the menu link of the section the page belongs to: the
    page at that address or under it (the home page only itself), so that screen readers
    and the menu's underline say where one is."""
    request = context.get("request")
    if request is None:
        return ""
    url = reverse(url_name, args=args)
    current = request.path == url if url == "/" else request.path.startswith(url)
    return mark_safe(' aria-current="page"') if current else ""
