"""Signed-in staff for tests: a test client per role, made as the set-up script makes
users (`create_staff_user`). tests/conftest.py has the fixtures `editor`, `other_editor`,
`viewer` and `superuser`."""

from django.contrib.auth.models import User
from django.test import Client

from judgements.management.commands.create_staff_user import create_staff_user

PASSWORD = "a long staff passphrase 42"


def staff_client(username, role):
    create_staff_user(
        username=username, email=f"{username}@example.org", role=role, password=PASSWORD
    )
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
