from django import template

from translations.lookup import localized as localized_text
from translations.lookup import translate_reference

register = template.Library()


@register.filter
def localized(obj):
    """{{ article|localized }}: the article's title (chapter's title, State's name, taxonomy
    label, region name) in the active language, English when not translated."""
    return localized_text(obj)


@register.simple_tag
def reference_text(kind, code, english):
    """{% reference_text "article" row.article__number row.article__title %} for rows read
    as plain values rather than model instances."""
    return translate_reference(kind, code, english)
