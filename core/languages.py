"""The language each person reads: remembered on their account when they choose one.

Pages follow the language cookie (Django's `set_language`); what the tracker sends outside a
request, where no cookie can be read (the daily digest to focal points, sent by the
background worker), follows `User.preferred_language`, the language the person last chose.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import get_supported_language_variant


def supported_language(code: str | None) -> str | None:
    """The code of settings.LANGUAGES that `code` names ("fr", "zh-hans"), or None."""
    if not code:
        return None
    try:
        variant = get_supported_language_variant(code)
    except LookupError:
        return None
    return variant if variant in dict(settings.LANGUAGES) else None


def preferred_language_remember(*, user, code: str | None) -> bool:
    """Keep `code` as the signed-in `user`'s language; True if it changed."""
    language = supported_language(code)
    if (
        language is None
        or not getattr(user, "is_authenticated", False)
        or user.preferred_language == language
    ):
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return True


@receiver(user_logged_in, dispatch_uid="core.languages.remember_on_sign_in")
def remember_language_on_sign_in(sender, request, user, **kwargs):
    """A language chosen before signing in is the person's choice too."""
    cookies = getattr(request, "COOKIES", None) or {}
    preferred_language_remember(user=user, code=cookies.get(settings.LANGUAGE_COOKIE_NAME))
