"""Create (or update) a member of staff in a role, without asking anything.

    manage.py create_staff_user --role editor --username asha --email asha@example.org
    manage.py create_staff_user --role viewer --username ben --email ben@example.org \\
        --password-file /run/secrets/ben

The password comes from the environment variable HARROW_STAFF_PASSWORD or from the
first line of --password-file, never from the command line (where it would end up in
shell history and in the process list). It must pass the site's password validators.
Run again for an existing username to change the role, email or password.
"""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from judgements.roles import ROLE_GROUPS

PASSWORD_VARIABLE = "HARROW_STAFF_PASSWORD"  # noqa: S105  (the variable's name, not a password)


def create_staff_user(*, username, email, role, password):
    """Make ``username`` a member of staff in exactly one role; returns (user, created)."""
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email}
        )
        validate_password(password, user)
        user.email = email
        user.is_staff = True
        user.is_active = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user, created


class Command(BaseCommand):
    help = (
        "Create or update a staff user as an editor or a viewer. The password is read from "
        f"${PASSWORD_VARIABLE} or --password-file, never from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(ROLE_GROUPS))
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password-file",
            type=Path,
            help=f"A file whose first line is the password (else ${PASSWORD_VARIABLE}).",
        )

    def handle(self, *args, role, username, email, password_file, **options):
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read the password file: {error}") from error
            password = lines[0] if lines else ""
        else:
            password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(
                f"No password: set {PASSWORD_VARIABLE} or pass --password-file with the "
                "password on its first line."
            )
        try:
            user, created = create_staff_user(
                username=username, email=email, role=role, password=password
            )
        except ValidationError as error:
            raise CommandError("The password is refused: " + " ".join(error.messages)) from error
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} staff user {user.username} ({ROLE_GROUPS[role]}).")
