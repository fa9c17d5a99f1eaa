"""Issuing and revoking API tokens: the one place used by the API, the page and the command."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_issue(*, user, rotate: bool = False) -> tuple[Token, bool]:
    """The user's token, created if missing (or replaced, with `rotate`); True if new."""
    if not user.is_active:
        raise ValidationError(
            _("%(username)s is deactivated; a token would not work.") % {"username": user.username},
            code="inactive",
        )
    if rotate:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)


@transaction.atomic
def token_revoke(*, user) -> bool:
    """Delete the user's token; False if there was none."""
    deleted, _per_model = Token.objects.filter(user=user).delete()
    return bool(deleted)
