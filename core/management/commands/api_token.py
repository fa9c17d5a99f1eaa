"""Issue, show or revoke a user's API token: `manage.py api_token USERNAME [--rotate|--revoke]`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


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

    @transaction.atomic
    def handle(self, *args, username, rotate, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if revoke:
            deleted, _ = Token.objects.filter(user=user).delete()
            self.stdout.write(
                f"Revoked the API token of {username}." if deleted else f"{username} had no token."
            )
            return
        if not user.is_active:
            raise CommandError(f"{username} is deactivated; a token would not work.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
