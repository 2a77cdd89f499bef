"""What the two import commands share."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def add_user_argument(parser):
    parser.add_argument(
        "--user", metavar="USERNAME", help="Record this staff user in the import log."
    )


def user_named(username):
    """The user the import log should name, or None; an unknown name is an error."""
    if username is None:
        return None
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise CommandError(f"no user called {username!r}") from None
