"""Issue, show or revoke a user's API token: `manage.py api_token USERNAME [--rotate|--revoke]`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.api.tokens import token_issue, token_revoke


class Command(BaseCommand):
    help = (
        "Print USERNAME's API token, creating it if needed; --rotate replaces it with a new "
        "one, --revoke deletes it (calls with the old key then fail with 401)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="Replace the token.")
        action.add_argument("--revoke", action="store_true", help="Delete the token.")

    def handle(self, *args, username, rotate, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if revoke:
            revoked = token_revoke(user=user)
            self.stdout.write(
                f"Revoked the API token of {username}." if revoked else f"{username} had no token."
            )
            return
        try:
            token, _created = token_issue(user=user, rotate=rotate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(token.key)
