"""Log lines are JSON objects with time, level, logger, request id, user id and path, and no personal value: no email,
no codice fiscale, no query string, whatever wrote them (issue 22)."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from pythonjsonlogger.json import JsonFormatter

from conftest import plain_force_login
from welfare.operations.logs import JSON_FORMATTER, logging_config, scrub_sentry_event

CF = "RSSMRA80A01L319X"


@pytest.fixture
def json_lines():
    """A handler built as settings.LOGGING builds the console's with LOG_FORMAT=json, writing where the test reads."""
    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["context", "redact"]
    filters = {name: import_string(spec["()"])() for name, spec in settings.LOGGING["filters"].items()}
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.setFormatter(JsonFormatter(**{key: value for key, value in JSON_FORMATTER.items() if key != "()"}))
    for name in console["filters"]:
        handler.addFilter(filters[name])
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    root.removeHandler(handler)


def test_production_logs_are_json(monkeypatch):
    config = logging_config("INFO", json=True)
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"


def test_a_request_is_logged_as_one_json_line_without_its_query_string(client, alice, json_lines):
    plain_force_login(client, alice)
    url = reverse("catalogue:search") + f"?q={CF}&email=alice@example.org"
    response = client.get(url, HTTP_X_REQUEST_ID="proxy-given-id-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-given-id-123"
    lines = json_lines()
    (line,) = [line for line in lines if line["logger"] == "welfare.request"]
    assert line["level"] == "INFO"
    assert line["time"].startswith("20")
    assert line["request_id"] == "proxy-given-id-123"
    assert line["user_id"] == alice.pk
    assert line["path"] == reverse("catalogue:search")
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0
    text = "\n".join(json.dumps(line) for line in lines)
    assert "?" not in text
    assert CF not in text
    assert "alice@example.org" not in text


def test_every_record_is_masked_message_extra_fields_and_traceback(db, json_lines):
    log = logging.getLogger("welfare.somewhere")
    log.warning("sent to %s", "alice@example.org", extra={"holder": CF})
    try:
        raise ValueError(f"duplicate key (codice_fiscale)=({CF})")
    except ValueError:
        log.exception("could not save")
    first, second = json_lines()
    assert first["message"] == "sent to [email]"
    assert first["holder"] == "[codice fiscale]"
    assert first["request_id"] is None
    assert first["path"] is None
    assert "ValueError" in second["traceback"]
    assert CF not in json.dumps(second)


def test_an_invented_request_id_is_replaced(client, db):
    response = client.get(reverse("portal:healthz_web"), HTTP_X_REQUEST_ID="bad id with spaces <script>")
    assert response["X-Request-ID"] != "bad id with spaces <script>"
    assert len(response["X-Request-ID"]) == 32


def test_errors_sent_to_sentry_carry_no_personal_data():
    event = {
        "user": {"email": "alice@example.org", "id": 7},
        "request": {"url": f"https://welfare.example.org/cerca/?q={CF}", "query_string": f"q={CF}",
                    "cookies": {"sessionid": "x"}, "data": {"codice_fiscale": CF}, "headers": {"Cookie": "x"}},
        "exception": {"values": [{"type": "IntegrityError", "value": f"Key (codice_fiscale)=({CF}) exists"}]},
        "breadcrumbs": {"values": [{"message": "sent to alice@example.org"}]},
    }  # fmt: skip
    scrubbed = scrub_sentry_event(event, {})
    text = json.dumps(scrubbed)
    assert CF not in text
    assert "alice@example.org" not in text
    assert "sessionid" not in text
    assert scrubbed["request"] == {"url": "https://welfare.example.org/cerca/"}
    assert "user" not in scrubbed
    assert scrubbed["exception"]["values"][0]["value"] == "Key (codice_fiscale)=([codice fiscale]) exists"
