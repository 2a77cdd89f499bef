"""Login throttling, the Content Security Policy and the configurable admin address."""

import logging
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.test_settings import DEVELOPMENT, show

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long staff passphrase 42"


@pytest.fixture
def staff_user(db):
    return User.objects.create_user("asha", password=PASSWORD, is_staff=True)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def log_in(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "asha", "password": password, "next": reverse("admin:index")},
    )


def is_logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_staff_log_in_through_the_admin_login_page(client, staff_user):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_repeated_failed_logins_lock_out_even_the_right_password_until_reset(
    client, staff_user, caplog
):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = log_in(client, "wrong guess")
    assert response.status_code == 429
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert not is_logged_in(client)
    attempt = AccessAttempt.objects.get(username="asha")
    # The refused right password counts as one more failure: guessing on gains nothing.
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT + 1
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    call_command("axes_reset_username", "asha")
    assert log_in(client, PASSWORD).status_code == 302
    assert is_logged_in(client)


def csp_of(response):
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )


def test_the_site_and_the_admin_are_served_under_a_strict_content_security_policy(
    client, superuser, harrow
):
    client.force_login(superuser)
    finding = harrow.findings.first()
    for url in [
        "/",
        "/inspections/harrow-2020-02/",
        reverse("admin:index"),
        reverse("admin:judgements_finding_change", args=[finding.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp_of(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe" not in response["Content-Security-Policy"]


def test_our_templates_have_no_inline_scripts_or_styles():
    """The policy allows only scripts and styles from files: none may be inline."""
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert templates
    for template in templates:
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), template


def test_the_admin_address_is_configurable():
    assert show(DEVELOPMENT, "settings.ADMIN_PATH") == "admin/"
    moved = {**DEVELOPMENT, "ADMIN_PATH": "/staff-desk"}
    assert show(moved, "__import__('django.urls').urls.reverse('admin:index')") == "/staff-desk/"
