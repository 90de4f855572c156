"""Schemathesis against our own OpenAPI schema: no 5xx, and responses match the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commissioning.wsgi import application
from tests.factories import make_user

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_test_connection_open():
    """Like Django's test client: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(register):
    """A national admin's API token, so every operation (reads and writes) is exercised."""
    from accounts.models import Role

    admin = make_user("schema@example.nhs.uk", "Schema Tester", (Role.NATIONAL_ADMIN, None))
    return Token.objects.create(user=admin).key


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, token):
    # The contract we hold the API to: never a server error, and every status code, content
    # type, header and body as documented. (Schemathesis' stricter input checks also flag
    # conventions we keep on purpose: an empty filter such as ?on= means "no filter", and
    # a NUL byte in a query is refused with a 400.)
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ],
    )
