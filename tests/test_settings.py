"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLES = [
    "HARROW_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS", "STATIC_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE", "ADMIN_PATH",
    "DATABASE_JIT",
]  # fmt: skip
PRODUCTION = {
    "HARROW_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-that-is-not-this-one-0123456789",
    "ALLOWED_HOSTS": "inspections.example.org",
    "DATABASE_URL": "postgres://harrow:secret@db.example.org:5432/harrow",
}
# A database that is never connected to: these checks only read settings.
DEVELOPMENT = {"DATABASE_URL": "postgres://harrow@127.0.0.1:1/harrow"}


def django(environment, *arguments):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(environment, DJANGO_SETTINGS_MODULE="harrow_inspection.settings")
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def show(environment, expression):
    result = django(
        environment, "-c", f"import django; django.setup(); from django.conf import settings; "
        f"print({expression})"
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_development_defaults_are_safe():
    assert show(DEVELOPMENT, "settings.DEBUG") == "False"
    assert show(DEVELOPMENT, "settings.ALLOWED_HOSTS") == "['localhost', '127.0.0.1', '[::1]']"
    assert show(DEVELOPMENT, "settings.SESSION_COOKIE_SECURE") == "False"
    key = show(DEVELOPMENT, "settings.SECRET_KEY")
    assert len(key) >= 50 and not key.startswith("django-insecure")
    assert show(DEVELOPMENT, "settings.SECRET_KEY") == key  # kept for the checkout


def test_reading_the_settings_starts_no_database_server():
    """Without DATABASE_URL the embedded server is the default, started by the first
    connection: setting Django up (as every command and worker does) starts nothing."""
    observed = show(
        {}, "(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['HOST'], "
        "'pgserver' in __import__('sys').modules)"
    )  # fmt: skip
    assert observed == "('harrow_inspection.embedded_db', '', False)"


def test_debug_is_only_on_when_asked_for():
    assert show({**DEVELOPMENT, "DEBUG": "1"}, "settings.DEBUG") == "True"


def test_database_url_selects_the_server():
    databases = show(
        {"DATABASE_URL": "postgres://staff:pw@db.internal:6543/reports"},
        "settings.DATABASES['default']['HOST'], settings.DATABASES['default']['PORT'], "
        "settings.DATABASES['default']['NAME']",
    )
    assert databases == "db.internal 6543 reports"


@pytest.mark.django_db
def test_the_sites_connections_run_without_postgresqls_jit():
    """At 1M findings the JIT compiler spent seconds on a search's facets (settings.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_jit_is_left_on_when_asked_for_and_other_startup_options_are_kept():
    options = "settings.DATABASES['default']['OPTIONS'].get('options')"
    assert show({**DEVELOPMENT, "DATABASE_JIT": "1"}, options) == "None"
    url = "postgres://harrow@127.0.0.1:1/harrow?options=-c%20search_path%3Dreports"
    assert show({"DATABASE_URL": url}, options) == "-c search_path=reports -c jit=off"
    own = "postgres://harrow@127.0.0.1:1/harrow?options=-c%20jit%3Don"
    assert show({"DATABASE_URL": own}, options) == "-c jit=on"  # the operator's own choice


@pytest.mark.parametrize(
    ("missing", "hint"),
    [
        ("SECRET_KEY", "secrets.token_urlsafe"),
        ("ALLOWED_HOSTS", "host names"),
        ("DATABASE_URL", "Point it at your PostgreSQL server"),
    ],
)
def test_production_without_a_required_variable_fails_with_a_hint(missing, hint):
    environment = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = django(environment, "manage.py", "check")
    assert result.returncode != 0
    assert f"{missing} must be set when HARROW_ENV=production" in result.stderr
    assert hint in result.stderr


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({**PRODUCTION, "DEBUG": "1"}, "unset DEBUG in production"),
        ({"HARROW_ENV": "staging"}, "is not one of development, production"),
        ({"DEBUG": "maybe", **DEVELOPMENT}, "is not a yes/no value"),
        ({"DATABASE_URL": "sqlite:///harrow.sqlite3"}, "must point at PostgreSQL"),
    ],
)
def test_misconfiguration_is_refused_with_a_message(environment, message):
    result = django(environment, "manage.py", "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = django(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
