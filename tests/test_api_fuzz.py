"""Schemathesis fuzzes the API from its own OpenAPI schema: whatever it sends, no 5xx,
and every response matches the schema (status code, content type, body)."""

import warnings

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES_PER_OPERATION = 30  # bounded, so CI stays fast

# Generating the schema reads no data, so it can be loaded while tests are collected
# (with the page cache off: it would look up the data version).
with warnings.catch_warnings(), override_settings(PAGE_CACHE_SECONDS=0):
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic in tests
    application = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def one_connection():
    """Keep the test's database connection (and its transaction) open across requests, as
    Django's own test client does: a real WSGI request would close it when it ends."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema_whatever_it_is_sent(case, harrow, one_connection):
    # Every check but "schema-valid data is accepted": a slug the schema allows (any string)
    # may name no service area, and the right answer to that is a 400 saying so.
    case.call_and_validate(
        headers={"Accept": "application/json"}, excluded_checks=[positive_data_acceptance]
    )
