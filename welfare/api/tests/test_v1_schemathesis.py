"""Schemathesis against both OpenAPI descriptions (/api/v1/ and /api/hsds/), anonymously and with a citizen's
and a provider's token: whatever it sends, the API never answers 5xx and always answers JSON.

Every generated call carries a fresh Idempotency-Key, so money-moving operations are exercised past the 428.
"""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from config.wsgi import application
from welfare.accounts.actions import do_create_api_token
from welfare.care.actions import do_submit_request
from welfare.ledger.actions import reconcile

SCHEMAS = {"v1": ("/api/v1/openapi.json", 14), "hsds": ("/api/hsds/openapi.json", 4)}


@pytest.fixture
def no_connection_closing():
    """Like Django's test client: starting or finishing a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("schema_name", SCHEMAS)
@pytest.mark.parametrize("persona", ["anonymous", "alice", "pietro"])
def test_no_server_errors_on_any_operation(
    request, no_connection_closing, voucher_request, catalogue, alice, schema_name, persona
):
    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    headers = {}
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        headers["Authorization"] = f"Bearer {do_create_api_token(user, actor=user, name='schemathesis')[1]}"
    path, at_least = SCHEMAS[schema_name]
    schema = schemathesis.openapi.from_wsgi(path, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= at_least
    for operation in operations:
        check(operation, headers)
    assert not reconcile()


def check(operation, headers):
    """Up to 15 generated calls of one operation, each answered below 500 and in JSON."""

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case):
        response = case.call(headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
        content_type = {name.lower(): value for name, value in response.headers.items()}["content-type"]
        assert "application/json" in str(content_type), content_type

    call()
