"""Schemathesis against /api/v1/openapi.json: whatever it sends, the API never answers 5xx."""

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from config.wsgi import application
from welfare.accounts.actions import do_create_api_token
from welfare.care.actions import do_submit_request


def test_no_server_errors_on_any_operation(catalogue, alice, pietro):
    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    headers = {"Authorization": f"Bearer {do_create_api_token(pietro, actor=pietro, name='schemathesis')[1]}"}
    # Like Django's test client: starting or finishing a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 14
        for operation in operations:
            check(operation, headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def check(operation, headers):
    """Up to 15 generated calls of one operation, each answered below 500 and in JSON."""

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
        content_type = {name.lower(): value for name, value in response.headers.items()}["content-type"]
        assert "application/json" in str(content_type), content_type

    call()
